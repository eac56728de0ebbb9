import { describe, expect, it } from "vitest";
import { randomHex } from "../src/index.js";

describe("randomHex", () => {
  it("gives twice as many hex digits as bytes, different each time", () => {
    const seen = new Set(Array.from({ length: 50 }, () => randomHex(4)));
    for (const hex of seen) expect(hex).toMatch(/^[0-9a-f]{8}$/);
    // 50 draws of 32 bits: a repeat would be a broken generator, not bad luck.
    expect(seen.size).toBe(50);
  });
});
