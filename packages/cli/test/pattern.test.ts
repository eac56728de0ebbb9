// Pattern expansion: shell-style ranges, zero padding kept, several ranges, refusals.
import { describe, expect, it } from "vitest";
import { MAX_PATTERN_NAMES, parsePattern } from "../src/bulk/pattern.js";
import { UsageError } from "../src/usage-error.js";

const names = (text: string) => [...parsePattern(text).names()];

describe("parsePattern", () => {
  it("keeps zero padding: user{001..500}", () => {
    const pattern = parsePattern("user{001..500}");
    expect(pattern.count).toBe(500);
    const all = [...pattern.names()];
    expect(all.slice(0, 3)).toEqual(["user001", "user002", "user003"]);
    expect(all.at(99)).toBe("user100");
    expect(all.at(-1)).toBe("user500");
  });

  it("does not pad {1..N}", () => {
    expect(names("load{1..11}")).toEqual([
      "load1",
      "load2",
      "load3",
      "load4",
      "load5",
      "load6",
      "load7",
      "load8",
      "load9",
      "load10",
      "load11",
    ]);
  });

  it("pads to the wider bound when either has a leading zero, like bash", () => {
    expect(names("u{1..010}").slice(0, 2)).toEqual(["u001", "u002"]);
    expect(names("u{08..10}")).toEqual(["u08", "u09", "u10"]);
  });

  it("counts down when the range does", () => {
    expect(names("n{3..1}")).toEqual(["n3", "n2", "n1"]);
  });

  it("combines several ranges, the leftmost slowest, with text around them", () => {
    const pattern = parsePattern("t{1..2}x{01..03}-a");
    expect(pattern.count).toBe(6);
    expect([...pattern.names()]).toEqual(["t1x01-a", "t1x02-a", "t1x03-a", "t2x01-a", "t2x02-a", "t2x03-a"]);
  });

  it("generates lazily: a large pattern is not held in memory", () => {
    const pattern = parsePattern("big{1..5000000}");
    expect(pattern.count).toBe(5_000_000);
    expect(pattern.names().next().value).toBe("big1");
  });

  it.each([
    ["plainname", /no \{A\.\.B\} range/],
    ["user{a..z}", /only \{A\.\.B\} numeric ranges/],
    ["user{1..3", /only \{A\.\.B\} numeric ranges/],
    [`u{1..${MAX_PATTERN_NAMES + 1}}`, /the limit is/],
  ])("refuses %s as a usage error", (text, message) => {
    expect(() => parsePattern(text)).toThrow(UsageError);
    expect(() => parsePattern(text)).toThrow(message);
  });
});
