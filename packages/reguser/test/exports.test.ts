// The facade must load from plain Node ESM (built dist/, no loaders): what users get after `npm ci`.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The names the compiled declarations export as values (test/exports.test.ts keeps that snapshot).
const snapshot = readFileSync(new URL("../../../test/__snapshots__/exports/reguser.txt", import.meta.url), "utf8");
const VALUES = snapshot
  .split("\n")
  .filter((line) => /\((value|value\+type)\)$/.test(line))
  .map((line) => line.split(" ")[0])
  .sort();

describe("reguser from plain Node", () => {
  it("exports exactly the values its declarations name, from the compiled package", () => {
    const script = "import('reguser').then(m => console.log(JSON.stringify(Object.keys(m))))";
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(VALUES.length).toBeGreaterThan(40);
    expect((JSON.parse(out) as string[]).sort()).toEqual(VALUES);
  });

  it("computes the book's digest through the compiled package", () => {
    const script = "import('reguser').then(m => m.digestPassword('1ED34A55', 'secret')).then(console.log)";
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(out.trim()).toBe("2508621e39c132d7ee32fd4567a9c9f4014cbc3f");
  });
});
