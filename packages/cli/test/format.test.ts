// Output formatting: the book's lines exactly, JSON records without secrets, summaries, exit codes.
import { createStanzaError } from "@reguser/errors";
import { ConflictError, ConnectionError, StanzaError, TimeoutError } from "reguser";
import { describe, expect, it } from "vitest";
import { reportCsvLine, reportJsonEntry } from "../src/bulk/report-format.js";
import { EXIT, exitCodeOf } from "../src/exit-codes.js";
import { errorLine, humanLine, summaryLine } from "../src/format-human.js";
import { jsonError, jsonOf } from "../src/format-json.js";
import { InterruptedError, UsageError } from "../src/usage-error.js";

const legacy409 = createStanzaError({ condition: "conflict", code: 409, text: "Username Not Available" });

describe("human lines", () => {
  it("prints the book's inquiry and attempt lines", () => {
    const inquiry = { kind: "inquiry" as const, fields: ["username", "password", "email", "name"], registered: false };
    expect(humanLine({ ...inquiry, instructions: "Choose a username" })).toBe(
      "[Inquiry] Fields: username password email name",
    );
    expect(humanLine({ kind: "attempt", username: "joseph" })).toBe("[Attempt] (joseph) Successful registration");
    expect(humanLine({ kind: "attempt", username: undefined })).toBe("[Attempt] Successful registration");
  });

  it("keeps a hostile server's text on one line, its control characters shown, not obeyed", () => {
    const forged = createStanzaError({
      condition: "conflict",
      code: 409,
      text: "taken\r\n[Attempt] (dj) Successful registration\u009b2J\u202Eevil\tend",
    });
    expect(errorLine("attempt", "dj", forged)).toBe(
      "[Attempt] (dj) Error: 409 (taken [Attempt] (dj) Successful registration\\u009b2J\\u202eevil end)",
    );
    const inquiry = {
      kind: "inquiry" as const,
      fields: ["user\nname"],
      registered: false,
      oobUrl: "https://x/\u0085y",
    };
    expect(humanLine(inquiry)).toBe("[Inquiry] Fields: user name (or register at https://x/ y)");
  });

  it("prints the book's error line from the typed error: code and the server's text", () => {
    expect(errorLine("attempt", "dj", legacy409)).toBe("[Attempt] (dj) Error: 409 (Username Not Available)");
  });

  it("falls back to the condition's wording, and to the condition when there is no code", () => {
    expect(errorLine("attempt", "dj", new ConflictError())).toBe("[Attempt] (dj) Error: 409 (Conflict)");
    const policy = createStanzaError({ condition: "policy-violation" });
    expect(errorLine("attempt", "dj", policy)).toBe("[Attempt] (dj) Error: policy-violation (Policy violation)");
    const unknown = new StanzaError({ condition: "x-custom" });
    expect(errorLine("auth", "dj", unknown)).toBe("[Auth] (dj) Error: x-custom (x-custom)");
  });

  it("prints other errors by message", () => {
    expect(errorLine("passwd", "dj", new Error("boom"))).toBe("[Passwd] (dj) Error: boom");
  });

  it("prints the other commands' lines", () => {
    expect(humanLine({ kind: "methods", username: "dj", offered: ["digest", "plain"] })).toBe(
      "[Auth] (dj) Methods offered: digest plain",
    );
    expect(humanLine({ kind: "methods", username: "dj", offered: [] })).toBe("[Auth] (dj) Methods offered: none");
    expect(humanLine({ kind: "login", username: "dj", jid: "dj@yak/reguser", method: "digest" })).toBe(
      "[Auth] (dj) Logged in as dj@yak/reguser (digest)",
    );
    expect(humanLine({ kind: "passwd", username: "dj" })).toBe("[Passwd] (dj) Password changed");
    expect(humanLine({ kind: "remove", username: "dj" })).toBe("[Remove] (dj) Account removed");
  });

  it("summarises a bulk run, error classes by count", () => {
    const summary = {
      ok: 498,
      failed: 5,
      byError: { TimeoutError: 1, ConflictError: 2, ResourceConstraintError: 2 },
      elapsedMs: 1420,
      aborted: false,
      pipeliningFallback: false,
    };
    expect(summaryLine(summary)).toBe(
      "ok 498, failed 5 (ConflictError 2, ResourceConstraintError 2, TimeoutError 1) in 1.4 s",
    );
    expect(summaryLine({ ...summary, failed: 0, byError: {}, aborted: true })).toBe(
      "ok 498, failed 0 in 1.4 s, interrupted",
    );
    expect(humanLine({ kind: "bulk", summary: { ...summary, ok: 2, failed: 0, byError: {} } })).toMatch(
      /^\[Bulk\] ok 2, failed 0 in/,
    );
    expect(summaryLine({ ...summary, ok: 143, failed: 0, byError: {}, skipped: 57 })).toBe(
      "ok 143, failed 0, skipped 57 (ok in the report) in 1.4 s",
    );
  });
});

describe("JSON", () => {
  it("describes stanza errors by class, code, condition and text", () => {
    expect(jsonError(legacy409)).toEqual({
      name: "ConflictError",
      code: 409,
      condition: "conflict",
      type: "cancel",
      text: "Username Not Available",
      message: "Username Not Available (409 conflict)",
    });
    expect(jsonError(new ConnectionError("refused"))).toEqual({ name: "ConnectionError", message: "refused" });
  });

  it("never carries a password", () => {
    const records = [
      jsonOf({ kind: "attempt", username: "joseph" }),
      jsonOf({ kind: "passwd", username: "joseph" }),
      jsonOf({ kind: "login", username: "joseph", jid: "joseph@yak/r", method: "plain" }),
    ];
    for (const r of records) expect(JSON.stringify(r)).not.toMatch(/password"/i);
  });
});

describe("bulk report lines", () => {
  it("carry the username, the outcome and the error only", () => {
    expect(reportCsvLine({ username: "u1", ok: true })).toBe("u1,ok,,,,\n");
    expect(reportCsvLine({ username: "u2", ok: false, error: legacy409 })).toBe(
      "u2,failed,ConflictError,409,conflict,Username Not Available\n",
    );
    expect(reportJsonEntry({ username: "u2", ok: false, error: new TimeoutError("registration", 10) })).toEqual({
      username: "u2",
      ok: false,
      error: { name: "TimeoutError", message: "registration timed out after 10 ms" },
    });
  });
});

describe("exit codes", () => {
  it.each([
    [legacy409, EXIT.failed],
    [new Error("other"), EXIT.failed],
    [new UsageError("bad"), EXIT.usage],
    [new ConnectionError("refused"), EXIT.connection],
    [new TimeoutError("registration", 10), EXIT.connection],
    [new InterruptedError(), EXIT.interrupted],
  ])("%s → %i", (err, code) => {
    expect(exitCodeOf(err)).toBe(code);
  });
});
