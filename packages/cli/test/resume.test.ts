// --resume: reading an earlier run's JSON Lines report (a cut-short last line, a damaged one, another domain),
// going on writing it, and the command an interrupted run prints.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommandLine } from "../src/args.js";
import { ReportFile } from "../src/bulk/files.js";
import { reportHeader } from "../src/bulk/report-format.js";
import { fileLines, readPreviousRun } from "../src/bulk/resume.js";
import { interruptedAdvice, resumeCommand, shellWord } from "../src/bulk/resume-command.js";
import type { BulkSummary } from "../src/results.js";
import { UsageError } from "../src/usage-error.js";
import { runMain } from "./helpers/run-main.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "reguser-resume-unit-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PLACE = { domain: "localhost", target: "127.0.0.1:5222" };
const HEADER = JSON.stringify(reportHeader("localhost", "127.0.0.1:5222", new Date(0)));
const conflict = { name: "ConflictError", code: 409, condition: "conflict", text: "taken" };

let n = 0;
function reportWith(text: string): string {
  const path = join(dir, `r${n++}.jsonl`);
  writeFileSync(path, text);
  return path;
}

const lines = (...entries: object[]) => `${[HEADER, ...entries.map((e) => JSON.stringify(e))].join("\n")}\n`;

async function read(path: string) {
  const warnings: string[] = [];
  const run = await readPreviousRun(path, PLACE, (m) => warnings.push(m));
  return { run, warnings };
}

describe("reading a report", () => {
  it("skips the accounts recorded ok, retries the failed ones (ok at any time wins)", async () => {
    const path = reportWith(
      lines(
        { username: "a", ok: true },
        { username: "b", ok: false, error: conflict },
        { username: "c", ok: false, error: { name: "TimeoutError", message: "no reply" } },
        { username: "", ok: false, error: { name: "InvalidRowError", message: "line 5: no username" } },
        { summary: { ok: 1, failed: 3, aborted: true } },
        { username: "c", ok: true, via: "admin" },
      ),
    );
    const { run, warnings } = await read(path);
    expect([...run.done].sort()).toEqual(["a", "c"]);
    expect(run.retried).toBe(1);
    expect(run.cutShort).toBeUndefined();
    expect(run.append).toEqual({ bytes: readFileSync(path).length, needsNewline: false });
    expect(warnings).toEqual([]);
  });

  it("tolerates a last line cut short by a kill: a warning, and the next run's lines start where it began", async () => {
    const good = lines({ username: "a", ok: true }, { username: "b", ok: true });
    const path = reportWith(`${good}{"username":"c","o`);
    const { run, warnings } = await read(path);
    expect([...run.done]).toEqual(["a", "b"]);
    expect(run.cutShort).toBe(4);
    expect(run.append).toEqual({ bytes: Buffer.byteLength(good), needsNewline: false });
    expect(warnings).toEqual([
      `--resume ${path}: line 4, the last, is cut short (a run killed while writing it): dropped; the account it was about, if any, is sent again`,
    ]);

    // Going on writing it: the fragment is gone, the new lines follow the last complete one.
    const file = new ReportFile(path, reportHeader("localhost", "x", new Date()), run.append);
    file.add({ username: "c", ok: true });
    file.close();
    expect(readFileSync(path, "utf8")).toBe(`${good}{"username":"c","ok":true}\n`);
  });

  it("counts bytes, not characters, where it cuts (names need not be ASCII)", async () => {
    const good = lines({ username: "jürgen", ok: true }, { username: "日本", ok: true });
    const path = reportWith(`${good}{"username":"ñ`);
    const { run } = await read(path);
    expect([...run.done]).toEqual(["jürgen", "日本"]);
    expect(run.append.bytes).toBe(Buffer.byteLength(good));
  });

  it("goes on after a complete last line without its line break", async () => {
    const text = lines({ username: "a", ok: true }).trimEnd();
    const { run, warnings } = await read(reportWith(text));
    expect(run.append).toEqual({ bytes: Buffer.byteLength(text), needsNewline: true });
    expect(warnings).toEqual([]);
  });

  it("refuses a damaged line that is not the last", async () => {
    const path = reportWith(`${HEADER}\n{"username":"a","ok":true}\n{"usern\n{"username":"b","ok":true}\n`);
    await expect(read(path)).rejects.toThrow(
      new UsageError(
        `--resume ${path}: line 3 is not a report line (the file was changed or damaged; only a last line cut short is tolerated)`,
        "bulk",
      ),
    );
    const odd = reportWith(lines({ username: "a", ok: true }, { hello: "world" }, { username: "b", ok: true }));
    await expect(read(odd)).rejects.toThrow(/line 3 is not a report line/);
  });

  it("refuses a report of another domain, naming both", async () => {
    const path = reportWith(lines({ username: "a", ok: true }));
    const elsewhere = readPreviousRun(path, { domain: "example.org", target: "xmpp.example.org" }, () => undefined);
    await expect(elsewhere).rejects.toThrow(
      `--resume ${path}: it is the report of a run on localhost (127.0.0.1:5222), not example.org: resume with the host and --domain of that run, or start a new report with --report`,
    );
    // The domain is case-insensitive; the host it was reached through does not matter.
    const sameDomain = await readPreviousRun(path, { domain: "LocalHost", target: "[::1]:5222" }, () => undefined);
    expect([...sameDomain.done]).toEqual(["a"]);
  });

  it("refuses what is not a report: empty, another file, a newer format, a missing file", async () => {
    await expect(read(reportWith(""))).rejects.toThrow(/not a reguser bulk report: it is empty/);
    await expect(read(reportWith('{"username":"a","ok":true}\n'))).rejects.toThrow(
      /not a reguser bulk report: its first line is not the header/,
    );
    await expect(read(reportWith("username,outcome\n"))).rejects.toThrow(/not a reguser bulk report/);
    const newer = reportWith(`${JSON.stringify({ reguser: "bulk-report", version: 2, domain: "localhost" })}\n`);
    await expect(read(newer)).rejects.toThrow(/format version 2; this reguser reads 1/);
    await expect(read(join(dir, "none.jsonl"))).rejects.toThrow(/none\.jsonl: ENOENT/);
  });

  it("splits lines at any chunk boundary, with their byte offsets", async () => {
    const long = "x".repeat(200_000);
    const path = reportWith(`a\n${long}\n\nb`);
    const got = [];
    for await (const line of fileLines(path)) got.push({ ...line, text: line.text.slice(0, 3) });
    expect(got).toEqual([
      { text: "a", start: 0, end: 2, terminated: true },
      { text: "xxx", start: 2, end: 200_003, terminated: true },
      { text: "", start: 200_003, end: 200_004, terminated: true },
      { text: "b", start: 200_004, end: 200_005, terminated: false },
    ]);
  });
});

describe("--resume on the command line", () => {
  const base = ["bulk", "yak", "--pattern", "u{1..3}", "--password-template", "p-{user}-x"];

  it("is the report this run goes on writing", () => {
    expect(parseCommandLine([...base, "--resume", "run.jsonl"])).toMatchObject({
      resume: "run.jsonl",
      report: "run.jsonl",
    });
    expect(parseCommandLine([...base, "--resume", "run.jsonl", "--report", "run.jsonl"])).toMatchObject({
      report: "run.jsonl",
    });
  });

  it.each([
    [["--resume", "run.json"], /--resume reads a JSON Lines report \(FILE\.jsonl, as --report FILE\.jsonl writes\)/],
    [["--resume", "run.csv"], /--resume reads a JSON Lines report/],
    [["--resume", "a.jsonl", "--report", "b.jsonl"], /--resume FILE goes on writing FILE: give no other --report/],
  ])("refuses %j", (extra, message) => {
    expect(() => parseCommandLine([...base, ...extra])).toThrow(message);
  });

  it("refuses a report of another domain before connecting (nothing listens on port 1)", async () => {
    const path = reportWith(lines({ username: "u1", ok: true }));
    const run = await runMain([
      "bulk",
      "127.0.0.1:1",
      "--domain",
      "elsewhere.example",
      "--pattern",
      "u{1..3}",
      "--password-template",
      "p-{user}-x",
      "--resume",
      path,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("it is the report of a run on localhost (127.0.0.1:5222), not elsewhere.example");
    expect(run.stdout).toBe("");
  });
});

describe("the resume command", () => {
  it("is the command line with --resume REPORT instead of --report, quoted for a shell", () => {
    const argv = ["bulk", "yak:5222", "--pattern", "user{001..500}", "--report", "run.jsonl", "--concurrency=8"];
    expect(resumeCommand(argv, "run.jsonl")).toBe(
      "reguser bulk yak:5222 --pattern 'user{001..500}' --concurrency=8 --resume run.jsonl",
    );
    expect(resumeCommand(["bulk", "yak", "--resume=old.jsonl", "--csv", "my file's.csv"], "old.jsonl")).toBe(
      "reguser bulk yak --csv 'my file'\\''s.csv' --resume old.jsonl",
    );
  });

  it("never prints a password template or the name of the admin secret's variable", () => {
    const argv = ["bulk", "yak", "--pattern", "u{1..9}", "--password-template", "S3cret-{user}", "--report", "r.jsonl"];
    const withAdmin = [...argv, "--admin-secret-env=MY_PASSWORD_IS_HUNTER2", "--admin", "xep0133"];
    const command = resumeCommand(withAdmin, "r.jsonl");
    expect(command).toBe(
      "reguser bulk yak --pattern 'u{1..9}' --password-template '<template>' --admin-secret-env '<name>' --admin xep0133 --resume r.jsonl",
    );
    expect(command).not.toMatch(/S3cret|HUNTER2/);
  });

  it("quotes only what a shell would read otherwise", () => {
    expect(["plain-word_1.csv", "a b", "$HOME", "it's", "", "a*"].map(shellWord)).toEqual([
      "plain-word_1.csv",
      "'a b'",
      "'$HOME'",
      "'it'\\''s'",
      "''",
      "'a*'",
    ]);
  });

  const summary: BulkSummary = {
    ok: 40,
    failed: 2,
    byError: {},
    elapsedMs: 1,
    aborted: true,
    pipeliningFallback: false,
  };

  it("is what an interrupted run prints, with what it needs to be run again", () => {
    const argv = ["bulk", "yak", "--pattern", "u{1..9}", "--password-stdin", "--report", "r.jsonl"];
    expect(interruptedAdvice(argv, { ...summary, report: "r.jsonl" })).toBe(
      "reguser: interrupted: 42 outcomes of this run are in r.jsonl; the accounts not reached were not sent. To resume " +
        "(accounts recorded ok are skipped, failed ones tried again):\n" +
        "  reguser bulk yak --pattern 'u{1..9}' --password-stdin --resume r.jsonl\n" +
        "  (with the same stdin)\n",
    );
  });

  it("says when there is nothing to resume from", () => {
    expect(interruptedAdvice([], summary)).toMatch(/Nothing recorded which: next time give --report FILE\.jsonl/);
    expect(interruptedAdvice([], { ...summary, report: "r.csv" })).toMatch(
      /all in r\.csv; .*Only a JSON Lines report \(--report FILE\.jsonl\) can be resumed from/,
    );
  });
});
