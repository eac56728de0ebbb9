// The token in a mailed link: random, signed with the gateway's secret and carrying its expiry, so a forged or
// expired link is refused before the store is asked. The store keeps only its SHA-256 (storeKey): a copy of the
// store opens no link. Single use is the store's `takeLink`.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const RANDOM_BYTES = 24;
const MAC_BYTES = 16;

/** A new link token that expires at `expiresAt` (ms since the epoch). */
export function newLinkToken(secret: Uint8Array, expiresAt: number): string {
  const body = `${randomBytes(RANDOM_BYTES).toString("base64url")}.${expiresAt.toString(36)}`;
  return `${body}.${mac(secret, body).toString("base64url")}`;
}

/** Why a token was refused, or its expiry when it is well formed, signed by `secret` and not expired at `now`. */
export function verifyLinkToken(
  secret: Uint8Array,
  token: unknown,
  now: number,
): { ok: true; expiresAt: number } | { ok: false; reason: "malformed" | "forged" | "expired" } {
  if (typeof token !== "string" || token.length > 200) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => /^[\w-]+$/.test(p))) return { ok: false, reason: "malformed" };
  const [random, expiry, signature] = parts as [string, string, string];
  const given = Buffer.from(signature, "base64url");
  const expected = mac(secret, `${random}.${expiry}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "forged" };
  const expiresAt = Number.parseInt(expiry, 36);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, expiresAt };
}

/** The key a link is stored under: the token's SHA-256, hex. */
export function storeKey(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function mac(secret: Uint8Array, body: string): Buffer {
  return createHmac("sha256", secret).update(`link:${body}`).digest().subarray(0, MAC_BYTES);
}
