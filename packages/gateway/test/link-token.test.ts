import { describe, expect, it } from "vitest";
import { newLinkToken, storeKey, verifyLinkToken } from "../src/link-token.js";

const secret = new TextEncoder().encode("s".repeat(32));
const other = new TextEncoder().encode("t".repeat(32));
const NOW = 1_800_000_000_000;

describe("link tokens", () => {
  it("verify with their secret until they expire", () => {
    const token = newLinkToken(secret, NOW + 60_000);
    expect(verifyLinkToken(secret, token, NOW)).toEqual({ ok: true, expiresAt: NOW + 60_000 });
    expect(verifyLinkToken(secret, token, NOW + 60_000)).toEqual({ ok: false, reason: "expired" });
  });
  it("are random, URL-safe and stored under a digest that is not the token", () => {
    const a = newLinkToken(secret, NOW);
    const b = newLinkToken(secret, NOW);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(storeKey(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(storeKey(a)).not.toContain(a.split(".")[0]);
  });
  it("refuse another secret, a changed expiry and garbage", () => {
    const token = newLinkToken(secret, NOW + 60_000);
    expect(verifyLinkToken(other, token, NOW)).toEqual({ ok: false, reason: "forged" });
    const [random, , mac] = token.split(".");
    const later = `${random}.${(NOW + 10 ** 9).toString(36)}.${mac}`;
    expect(verifyLinkToken(secret, later, NOW)).toEqual({ ok: false, reason: "forged" });
    for (const junk of [undefined, 42, "", "a.b", "a.b.c.d", "a b.c.d", "x".repeat(300), `${token}=`]) {
      expect(verifyLinkToken(secret, junk, NOW).ok).toBe(false);
    }
  });
});
