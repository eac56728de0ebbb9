// What --admin adds to the output: the fallback line, "(via admin)", viaAdmin in the summary, and in JSON.
import { ConflictError, NotAuthorizedError, ServiceUnavailableError } from "reguser";
import { describe, expect, it } from "vitest";
import { AdminCredentialError } from "../src/admin/credential-error.js";
import { reportCsvLine, reportJsonEntry } from "../src/bulk/report-format.js";
import { EXIT, exitCodeOf } from "../src/exit-codes.js";
import { errorLine, humanLine, summaryLine } from "../src/format-human.js";
import { jsonOf } from "../src/format-json.js";

const refused = new ServiceUnavailableError();
const label = "--admin xep0133 as boss@localhost";

describe("human lines with --admin", () => {
  it("says that in-band registration was refused, and which admin path was used instead", () => {
    expect(humanLine({ kind: "fallback", step: "attempt", username: "juliet", error: refused, label })).toBe(
      "[Attempt] (juliet) In-band registration refused: 503 (Service unavailable); using --admin xep0133 as boss@localhost",
    );
    expect(humanLine({ kind: "fallback", step: "bulk", username: undefined, error: refused, label })).toMatch(
      /^\[Bulk\] In-band registration refused: 503 /,
    );
  });

  it("marks what the admin path did", () => {
    expect(humanLine({ kind: "attempt", username: "juliet", via: "admin" })).toBe(
      "[Attempt] (juliet) Successful registration (via admin)",
    );
    expect(humanLine({ kind: "passwd", username: "juliet", via: "admin" })).toBe(
      "[Passwd] (juliet) Password changed (via admin)",
    );
    expect(humanLine({ kind: "remove", username: "juliet", via: "admin" })).toBe(
      "[Remove] (juliet) Account removed (via admin)",
    );
    const summary = { ok: 20, failed: 1, byError: { ConflictError: 1 }, elapsedMs: 300, aborted: false };
    expect(summaryLine({ ...summary, pipeliningFallback: false, viaAdmin: 20 })).toBe(
      "ok 20 (20 via admin), failed 1 (ConflictError 1) in 0.3 s",
    );
    expect(summaryLine({ ...summary, pipeliningFallback: false, viaAdmin: 0 })).toBe(
      "ok 20, failed 1 (ConflictError 1) in 0.3 s",
    );
    expect(summaryLine({ ...summary, pipeliningFallback: false, renewedStreams: 3 })).toBe(
      "ok 20, failed 1 (ConflictError 1) in 0.3 s, 3 stream(s) the server ended replaced",
    );
  });

  it("says it was the admin credential that failed, with the provisioner's words, and exits 1", () => {
    const cause = new NotAuthorizedError({ text: 'User Service add "juliet": request not authorised' });
    const err = new AdminCredentialError("--admin openfire-userservice at http://of:9090", cause);
    expect(err).toBeInstanceOf(NotAuthorizedError);
    expect(errorLine("attempt", "juliet", err)).toBe(
      '[Attempt] (juliet) Error: 401 (the admin credential was refused (--admin openfire-userservice at http://of:9090): User Service add "juliet": request not authorised (401 not-authorized))',
    );
    expect(exitCodeOf(err)).toBe(EXIT.failed);
    expect(exitCodeOf(new ConflictError())).toBe(EXIT.failed);
  });
});

describe("JSON with --admin", () => {
  it("carries via: admin and the in-band refusal", () => {
    const record = {
      ...jsonOf({ kind: "fallback", step: "attempt", username: "juliet", error: refused, label }),
      ...jsonOf({ kind: "attempt", username: "juliet", via: "admin" }),
    };
    expect(record).toEqual({
      via: "admin",
      inBandRefused: expect.objectContaining({ name: "ServiceUnavailableError", code: 503 }),
      username: "juliet",
      registered: true,
    });
    expect(JSON.parse(JSON.stringify(jsonOf({ kind: "attempt", username: "romeo" })))).toEqual({
      username: "romeo",
      registered: true,
    });
  });

  it("marks accounts made by the admin path in the JSON report; the CSV columns stay", () => {
    expect(reportJsonEntry({ username: "u1", ok: true, via: "admin" })).toEqual({
      username: "u1",
      ok: true,
      via: "admin",
    });
    expect(reportJsonEntry({ username: "u1", ok: true })).toEqual({ username: "u1", ok: true });
    expect(reportCsvLine({ username: "u1", ok: true, via: "admin" })).toBe("u1,ok,,,,\n");
  });
});
