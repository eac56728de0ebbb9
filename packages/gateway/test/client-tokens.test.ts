import { describe, expect, it } from "vitest";
import { clientTokens, hashClientToken, newClientToken } from "../src/client-tokens.js";

describe("client tokens", () => {
  it("match any of several configured digests (rotation) and carry their actions and limit", () => {
    const old = newClientToken();
    const current = newClientToken();
    const match = clientTokens([
      { id: "old", sha256: old.sha256, actions: ["create"] },
      { id: "current", sha256: current.sha256, limit: { count: 5, windowSeconds: 60 } },
    ]);
    expect(match(old.token)).toEqual({ id: "old", actions: ["create"], limit: undefined });
    expect(match(current.token)).toMatchObject({ id: "current", actions: ["create", "reset_pass"] });
    expect(hashClientToken(current.token)).toBe(current.sha256);
  });
  it("refuse a missing, empty or unknown token with 401 and never echo it", () => {
    const match = clientTokens([{ id: "a", sha256: newClientToken().sha256 }]);
    for (const given of [undefined, "", 7, "not-the-token"]) {
      let err: unknown;
      try {
        match(given);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: "unauthorized", status: 401 });
      expect(JSON.stringify(err) + String(err)).not.toContain("not-the-token");
    }
  });
  it("refuse bad configuration at start", () => {
    const sha256 = newClientToken().sha256;
    expect(() => clientTokens([{ id: "a", sha256: "abc" }])).toThrow(/hex SHA-256/);
    expect(() => clientTokens([{ id: "a b", sha256 }])).toThrow(/id of letters/);
    expect(() =>
      clientTokens([
        { id: "a", sha256 },
        { id: "a", sha256 },
      ]),
    ).toThrow(/share an id/);
    expect(() => clientTokens([{ id: "a", sha256, actions: ["delete" as "create"] }])).toThrow(/unknown action/);
    expect(() => clientTokens([{ id: "a", sha256, limit: { count: 0, windowSeconds: 1 } }])).toThrow(/positive/);
  });
});
