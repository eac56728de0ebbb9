// XEP-0078 §3.2 digest and the book's zero-knowledge hash chain (jabberd 1.4 mod_auth_0k).
import { createHash } from "node:crypto";
import { LimitExceededError, ProtocolError } from "@reguser/errors";

/** Lowercase hex SHA-1 of the UTF-8 bytes of `text`. */
export function sha1hex(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

/** XEP-0078 digest: sha1hex(streamId + password), the password exactly as given. */
export function digestPassword(streamId: string, password: string): string {
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
 * `sequence` times. Use the sequence exactly as the server sent it.
 */
export function zeroKnowledgeHash(
  password: string,
  token: string,
  sequence: number,
  options: ZeroKnowledgeOptions = {},
): string {
  const max = options.maxSequence ?? DEFAULT_MAX_SEQUENCE;
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new ProtocolError(`Zero-knowledge sequence must be a whole number ≥ 0, got ${String(sequence)}`);
  }
  if (sequence > max) throw new LimitExceededError("zero-knowledge sequence", sequence, max);
  let h = sha1hex(sha1hex(password) + token);
  for (let i = 0; i < sequence; i++) h = sha1hex(h);
  return h;
}
