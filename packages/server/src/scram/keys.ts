// RFC 5802 §3 SCRAM-SHA-1 keys: what the server stores (salt, iteration count, StoredKey, ServerKey), from a password.
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from "node:crypto";
import saslprep from "@mongodb-js/saslprep";

/** What a server keeps instead of the password, as Prosody's internal_hashed does. */
export interface ScramCredentials {
  /** The salt, base64 (as it goes into the server-first message). */
  readonly salt: string;
  readonly iterationCount: number;
  /** H(ClientKey), hex: checks a client proof without knowing the password. */
  readonly storedKey: string;
  /** HMAC(SaltedPassword, "Server Key"), hex: signs the server-final message. */
  readonly serverKey: string;
}

/** HMAC-SHA-1. */
export const hmac = (key: Buffer, text: string | Buffer): Buffer => createHmac("sha1", key).update(text).digest();
/** SHA-1, the H() of RFC 5802. */
export const sha1 = (data: Buffer): Buffer => createHash("sha1").update(data).digest();

/**
 * Hi(Normalize(password), salt, i): PBKDF2-HMAC-SHA-1. Undefined when SASLprep prohibits the password (a control
 * character, say): no SCRAM client could ever send it, so there is nothing to derive.
 */
export function saltedPassword(password: string, salt: Buffer, iterationCount: number): Buffer | undefined {
  let normalized: string;
  try {
    // Unassigned code points are allowed, as for stored strings in Prosody and ejabberd.
    normalized = saslprep(password, { allowUnassigned: true });
  } catch {
    return undefined;
  }
  return pbkdf2Sync(normalized, salt, iterationCount, 20, "sha1");
}

/** ClientKey, StoredKey and ServerKey from a salted password. */
export function keysOf(salted: Buffer): { clientKey: Buffer; storedKey: Buffer; serverKey: Buffer } {
  const clientKey = hmac(salted, "Client Key");
  return { clientKey, storedKey: sha1(clientKey), serverKey: hmac(salted, "Server Key") };
}

/** The stored credentials for `password`; undefined when SASLprep prohibits it. */
export function scramCredentials(password: string, salt: Buffer, iterationCount: number): ScramCredentials | undefined {
  const salted = saltedPassword(password, salt, iterationCount);
  if (!salted) return undefined;
  const { storedKey, serverKey } = keysOf(salted);
  return {
    salt: salt.toString("base64"),
    iterationCount,
    storedKey: storedKey.toString("hex"),
    serverKey: serverKey.toString("hex"),
  };
}

/** Whether `password` derives exactly these credentials (SASL PLAIN against stored keys, as Prosody checks it). */
export function passwordMatches(password: string, credentials: ScramCredentials): boolean {
  const salted = saltedPassword(password, Buffer.from(credentials.salt, "base64"), credentials.iterationCount);
  if (!salted) return false;
  const { storedKey, serverKey } = keysOf(salted);
  return sameBytes(storedKey, credentials.storedKey) && sameBytes(serverKey, credentials.serverKey);
}

/** Constant-time comparison with a hex string (a length mismatch is simply false). */
export function sameBytes(actual: Buffer, expectedHex: string): boolean {
  const expected = Buffer.from(expectedHex, "hex");
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
