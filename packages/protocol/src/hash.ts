// XEP-0078 §3.2 digest and the book's zero-knowledge hash chain (jabberd 1.4 mod_auth_0k), through Web Crypto
// (`crypto.subtle`): the same code in Node 20 and in a browser, and so asynchronous.
import { LimitExceededError, ProtocolError } from "@reguser/errors";
import { toHex } from "./hex.js";

/** Lowercase hex SHA-1 of the UTF-8 bytes of `text`. */
export async function sha1hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return toHex(new Uint8Array(digest));
}

/** XEP-0078 digest: sha1hex(streamId + password), the password exactly as given. */
export function digestPassword(streamId: string, password: string): Promise<string> {
  return sha1hex(streamId + password);
}

/** The most hash rounds a server may ask for before we refuse (absurd sequences are an attack). */
export const DEFAULT_MAX_SEQUENCE = 100_000;

export interface ZeroKnowledgeOptions {
  /** Most hash rounds to compute: a larger sequence from the server is a `LimitExceededError`. Default 100,000. */
  maxSequence?: number;
}

/**
 * Zero-knowledge ("0k"): h = sha1hex(password); h = sha1hex(h + token); then h = sha1hex(h)
 * `sequence` times. Use the sequence exactly as the server sent it. A sequence that is not a whole number ≥ 0
 * rejects with `ProtocolError`, one over `maxSequence` with `LimitExceededError`, before any hashing.
 */
export async function zeroKnowledgeHash(
  password: string,
  token: string,
  sequence: number,
  options: ZeroKnowledgeOptions = {},
): Promise<string> {
  const max = options.maxSequence ?? DEFAULT_MAX_SEQUENCE;
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new ProtocolError(`Zero-knowledge sequence must be a whole number ≥ 0, got ${String(sequence)}`);
  }
  if (sequence > max) throw new LimitExceededError("zero-knowledge sequence", sequence, max);
  let h = await sha1hex((await sha1hex(password)) + token);
  for (let i = 0; i < sequence; i++) h = await sha1hex(h);
  return h;
}
