// The 0k chain state, pure: the book's vector and the second one (docs/servers.md#jabberd-14), from the server's side.
import { digestPassword, zeroKnowledgeHash } from "@reguser/protocol";
import { describe, expect, it } from "vitest";
import { chainOffer, resetChain, spendHash } from "../src/index.js";
import { chainHashSync, digestSync } from "../src/sha1.js";

describe("the server's half of mod_auth_0k", () => {
  it("resets to hash_N with the hex Unix time as token and offers N − 1 (the book: secret, ABCDE, 400)", () => {
    const state = resetChain("secret", { sequences: 401, now: () => 0xabcde * 1000 + 999 });
    expect([state.token, state.sequence]).toEqual(["ABCDE", 401]);
    expect(chainOffer(state)).toEqual({ sequence: 400, token: "ABCDE" });
    const next = spendHash(state, "01945b9b2c3207c4cce5dc99e50605779f570077");
    expect(next).toEqual({ token: "ABCDE", sequence: 400, hash: "01945b9b2c3207c4cce5dc99e50605779f570077" });
  });

  it("walks the second vector down to 0 and then offers nothing (Calli0pe, 3C84F9E7, 4)", async () => {
    let state = resetChain("Calli0pe", { sequences: 5, now: () => 0x3c84f9e7 * 1000 });
    expect(chainOffer(state)?.sequence).toBe(4);
    expect(await zeroKnowledgeHash("Calli0pe", "3C84F9E7", 4)).toBe("e77fc6ff6d042f56aefe8d46b36c5bf8c840113d");
    for (let sequence = 4; sequence >= 0; sequence--) {
      expect(chainOffer(state)).toEqual({ sequence, token: "3C84F9E7" });
      const spent = spendHash(state, await zeroKnowledgeHash("Calli0pe", "3C84F9E7", sequence));
      expect(spent?.sequence).toBe(sequence);
      state = spent ?? state;
    }
    expect(chainOffer(state)).toBeUndefined();
    expect(spendHash(state, await zeroKnowledgeHash("Calli0pe", "3C84F9E7", 0))).toBeUndefined();
  });

  it("refuses a wrong hash, the stored hash itself, and accepts upper-case hex", async () => {
    const state = resetChain("pw", { sequences: 3, now: () => 0 });
    expect(spendHash(state, "0".repeat(40))).toBeUndefined();
    expect(spendHash(state, state.hash)).toBeUndefined();
    expect(spendHash(state, (await zeroKnowledgeHash("pw", "0", 2)).toUpperCase())?.sequence).toBe(2);
  });
});

describe("the server's synchronous SHA-1", () => {
  it("agrees with the client's Web Crypto one on digests and chains, Unicode included", async () => {
    for (const password of ["secret", "Calli0pe", "密码😀", ""]) {
      expect(digestSync("1ED34A55", password)).toBe(await digestPassword("1ED34A55", password));
      expect(chainHashSync(password, "3C84F9E7", 7)).toBe(await zeroKnowledgeHash(password, "3C84F9E7", 7));
    }
  });
});
