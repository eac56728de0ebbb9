// The facade must load from plain Node ESM (built dist/, no loaders): what users get after `npm ci`.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const API = [
  "openStream",
  "inquire",
  "register",
  "authMethods",
  "authenticate",
  "changePassword",
  "unregister",
  "digestPassword",
  "zeroKnowledgeHash",
  "XmppError",
  "StanzaError",
  "StreamError",
  "TimeoutError",
  "ConnectionError",
  "ConflictError",
  "NotAuthorizedError",
  "ResourceConstraintError",
];

describe("reguser from plain Node", () => {
  it("exports the public API from the compiled package", () => {
    const script = "import('reguser').then(m => console.log(JSON.stringify(Object.keys(m))))";
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual(expect.arrayContaining(API));
  });

  it("computes the book's digest through the compiled package", () => {
    const script = "import('reguser').then(m => console.log(m.digestPassword('1ED34A55', 'secret')))";
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(out.trim()).toBe("2508621e39c132d7ee32fd4567a9c9f4014cbc3f");
  });
});
