import { LimitExceededError, ProtocolError } from "@reguser/errors";
import { describe, expect, it } from "vitest";
import { digestPassword, sha1hex, zeroKnowledgeHash } from "../src/index.js";

describe("digest (XEP-0078 §3.2)", () => {
  it("matches the book's stream id 1ED34A55 with 'secret'", async () => {
    expect(await digestPassword("1ED34A55", "secret")).toBe("2508621e39c132d7ee32fd4567a9c9f4014cbc3f");
  });
  it("matches XEP-0078's own example", async () => {
    expect(await digestPassword("3EE948B0", "Calli0pe")).toBe("48fc78be9ec8f86d8ce1c39c320c97c21d62334d");
  });
  it("hashes the UTF-8 bytes of the password exactly as given (no escaping, no SASLprep)", async () => {
    expect(await digestPassword("X", "a&<b")).toBe(await sha1hex("Xa&<b"));
    expect(await digestPassword("X", "I\u00ADX")).not.toBe(await digestPassword("X", "IX"));
    // Computed independently with Python's hashlib over the UTF-8 bytes.
    expect(await digestPassword("1ED34A55", "密码😀")).toBe("d81c6b97b274042b65fa6165b50437938a217526");
  });
});

describe("zero-knowledge hash chain", () => {
  it("matches the book: secret / ABCDE / 400", async () => {
    expect(await zeroKnowledgeHash("secret", "ABCDE", 400)).toBe("01945b9b2c3207c4cce5dc99e50605779f570077");
  });
  it("matches the formula vector: Calli0pe / 3C84F9E7 / 4", async () => {
    expect(await zeroKnowledgeHash("Calli0pe", "3C84F9E7", 4)).toBe("e77fc6ff6d042f56aefe8d46b36c5bf8c840113d");
  });
  it("is one hash ahead of the next sequence: the server's check sha1(received) == stored", async () => {
    expect(await sha1hex(await zeroKnowledgeHash("secret", "ABCDE", 399))).toBe(
      await zeroKnowledgeHash("secret", "ABCDE", 400),
    );
  });
  it("refuses negative, fractional and absurd sequences with typed errors", async () => {
    await expect(zeroKnowledgeHash("p", "t", -1)).rejects.toThrow(ProtocolError);
    await expect(zeroKnowledgeHash("p", "t", 1.5)).rejects.toThrow(ProtocolError);
    await expect(zeroKnowledgeHash("p", "t", 100_001)).rejects.toThrow(LimitExceededError);
    await expect(zeroKnowledgeHash("p", "t", 10, { maxSequence: 5 })).rejects.toThrow(LimitExceededError);
    expect(await zeroKnowledgeHash("p", "t", 0)).toBe(await sha1hex(`${await sha1hex("p")}t`));
  });
});
