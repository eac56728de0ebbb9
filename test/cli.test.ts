// The reguser command: the real built binary (packages/cli/dist/bin.js) as a child process, against a real Prosody.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { buildCli, reguser } from "./support/cli-binary.js";
import { describeTarget } from "./support/describe-target.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { prosody } from "./support/real-targets.js";

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address ? address.port : 1;
}

describeTarget(prosody, () => {
  let server: RunningServer;
  let target: string;
  let dir: string;
  /** host:port and --domain, as a user would type them. */
  let at: (...rest: string[]) => string[];

  beforeAll(async () => {
    buildCli();
    server = await startServer("prosody");
    target = `${server.host}:${server.port}`;
    at = (...rest) => [target, "--domain", server.domain, ...rest];
    dir = mkdtempSync(join(tmpdir(), "reguser-cli-"));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("inquiry: prints the book's line with the fields the server lists", async () => {
    const run = await reguser(at());
    expect(run).toEqual({ code: 0, stdout: "[Inquiry] Fields: username password\n", stderr: "" });
  });

  it("attempt: the book's success line, then 409 with the server's text and exit 1 for the same name", async () => {
    const name = uniqueName("joseph");
    const password = strongPassword();
    const first = await reguser(
      at(`username=${name}`, `password=${password}`, "name=Joseph Adams", "email=joseph@yak"),
    );
    expect(first.stdout).toBe(`[Attempt] (${name}) Successful registration\n`);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/warning: password=… on the command line lands in your shell history/);

    const again = await reguser(at(`username=${name}`, `password=${strongPassword()}`));
    expect(again.stdout).toMatch(new RegExp(`^\\[Attempt\\] \\(${name}\\) Error: 409 \\(.+\\)\\n$`));
    expect(again.code).toBe(1);
    expect(first.stdout + first.stderr).not.toContain(password);
  });

  it("--json: one parsable object per run, errors by class and code, no password", async () => {
    const inquiry = await reguser(at("--json"));
    expect(inquiry.code).toBe(0);
    expect(JSON.parse(inquiry.stdout)).toMatchObject({
      command: "inquiry",
      ok: true,
      fields: ["username", "password"],
      registered: false,
    });

    const name = uniqueName("js");
    const password = strongPassword();
    const ok = await reguser(at(`username=${name}`, "--json", "--password-stdin"), `${password}\n`);
    expect(JSON.parse(ok.stdout)).toEqual({ command: "attempt", ok: true, username: name, registered: true });

    const dup = await reguser(at(`username=${name}`, "--json", "--password-stdin"), `${password}\n`);
    expect(dup.code).toBe(1);
    const record = JSON.parse(dup.stdout);
    expect(record).toMatchObject({
      command: "attempt",
      ok: false,
      username: name,
      error: { name: "ConflictError", code: 409, condition: "conflict" },
    });
    expect(dup.stdout + dup.stderr).not.toContain(password);
  });

  it("--password-stdin registers, and auth reports the offered methods and logs in with it", async () => {
    const name = uniqueName("stdin");
    const password = strongPassword();
    const reg = await reguser(at(`username=${name}`, "--password-stdin"), `${password}\n`);
    expect(reg).toEqual({ code: 0, stdout: `[Attempt] (${name}) Successful registration\n`, stderr: "" });

    const auth = await reguser(["auth", ...at(name, "--password-stdin")], `${password}\n`);
    expect(auth.stdout).toBe(
      `[Auth] (${name}) Methods offered: plain\n[Auth] (${name}) Logged in as ${name}@${server.domain}/reguser (plain)\n`,
    );
    expect(auth.code).toBe(0);

    const methodsOnly = await reguser(["auth", ...at(name, "--methods-only", "--json")]);
    expect(JSON.parse(methodsOnly.stdout)).toMatchObject({ command: "auth", ok: true, methods: ["plain"] });
  });

  it("passwd changes the password: auth then works with the new one and not the old one", async () => {
    const name = uniqueName("pw");
    const [oldPassword, newPassword] = [strongPassword(), strongPassword()];
    await reguser(at(`username=${name}`, "--password-stdin"), `${oldPassword}\n`);

    const passwd = await reguser(["passwd", ...at(name, "--password-stdin")], `${oldPassword}\n${newPassword}\n`);
    expect(passwd).toEqual({ code: 0, stdout: `[Passwd] (${name}) Password changed\n`, stderr: "" });

    const withNew = await reguser(["auth", ...at(name, "--password-stdin")], `${newPassword}\n`);
    expect(withNew.code).toBe(0);
    expect(withNew.stdout).toContain(`Logged in as ${name}@${server.domain}/reguser (plain)`);

    const withOld = await reguser(["auth", ...at(name, "--password-stdin")], `${oldPassword}\n`);
    expect(withOld.code).toBe(1);
    expect(withOld.stdout).toMatch(new RegExp(`\\[Auth\\] \\(${name}\\) Error: 401 \\(.+\\)\\n$`));
  });

  it("remove deletes the account: logging in fails afterwards and the name is free again", async () => {
    const name = uniqueName("rm");
    const password = strongPassword();
    await reguser(at(`username=${name}`, "--password-stdin"), `${password}\n`);

    const remove = await reguser(["remove", ...at(name, "--password-stdin")], `${password}\n`);
    expect(remove).toEqual({ code: 0, stdout: `[Remove] (${name}) Account removed\n`, stderr: "" });

    const auth = await reguser(["auth", ...at(name, "--password-stdin")], `${password}\n`);
    expect(auth.code).toBe(1);
    const again = await reguser(at(`username=${name}`, "--password-stdin"), `${strongPassword()}\n`);
    expect(again.code).toBe(0);
  });

  it("bulk --pattern registers 50 users on one connection: summary, report and the generated passwords file", async () => {
    const prefix = uniqueName("bk");
    const report = join(dir, "pattern-report.json");
    const out = join(dir, "users.csv");
    const run = await reguser([
      "bulk",
      ...at("--pattern", `${prefix}{01..50}`, "--random-passwords", "--out", out, "--report", report),
    ]);
    expect(run.stdout).toMatch(/^\[Bulk\] ok 50, failed 0 in \d+\.\d s\n$/);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(""); // no progress bar when stderr is not a terminal

    const json = JSON.parse(readFileSync(report, "utf8"));
    expect(json.summary).toMatchObject({ ok: 50, failed: 0, byError: {}, aborted: false });
    expect(json.outcomes).toHaveLength(50);
    expect(new Set(json.outcomes.map((o: { username: string }) => o.username))).toEqual(
      new Set(Array.from({ length: 50 }, (_, i) => `${prefix}${String(i + 1).padStart(2, "0")}`)),
    );
    expect(readFileSync(report, "utf8")).not.toMatch(/password/i);

    // The generated passwords went to --out only (mode 600), and they log in.
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("username,password");
    expect(lines).toHaveLength(51);
    const [username, password] = (lines[7] as string).split(",") as [string, string];
    expect(run.stdout + run.stderr).not.toContain(password);
    const auth = await reguser(["auth", ...at(username, "--password-stdin")], `${password}\n`);
    expect(auth.code).toBe(0);

    // Again, overlapping: the taken names fail as ConflictError, the run exits 1.
    const overlap = await reguser([
      "bulk",
      ...at("--pattern", `${prefix}{48..52}`, "--password-template", "tpl-{user}-pw", "--json"),
    ]);
    expect(overlap.code).toBe(1);
    expect(JSON.parse(overlap.stdout)).toMatchObject({
      command: "bulk",
      ok: false,
      registered: 2,
      failed: 3,
      byError: { ConflictError: 3 },
    });
  });

  it("bulk --csv reads quoted fields, reports bad rows and repeated names, writes a CSV report", async () => {
    const [a, b, c] = [uniqueName("ca"), uniqueName("cb"), uniqueName("cc")];
    const csv = join(dir, "accounts.csv");
    const report = join(dir, "csv-report.csv");
    writeFileSync(
      csv,
      [
        "username,password,email,name",
        `${a},"pa,ss""word-1",${a}@yak,"Adams, Joseph"`,
        `${b},pw-b-123,,"a name`,
        `across two lines"`,
        ",orphan-password",
        `${a},other-password`,
        `${c}`,
        "",
      ].join("\n"),
    );
    const run = await reguser(["bulk", ...at("--csv", csv, "--report", report)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\[Bulk\] ok 2, failed 3 \(InvalidRowError 2, ConflictError 1\) in /);
    // The first request goes alone (registerMany's lost-reply probe), so the repeat is read after it settled: the
    // server's 409 answers it. A repeat read while the first is in flight: test/cli-bulk-duplicates.test.ts.
    expect(run.stdout).toMatch(new RegExp(`\\[Bulk\\] \\(${a}\\) Error: 409 `));
    expect(run.stdout).toContain("[Bulk] Error: line 5: no username");
    expect(run.stdout).toContain(`[Bulk] (${c}) Error: line 7: no password`);

    const rows = readFileSync(report, "utf8").trim().split("\n");
    expect(rows[0]).toBe("username,outcome,error,code,condition,text");
    expect(rows).toContain(`${a},ok,,,,`);
    expect(rows).toContain(`${b},ok,,,,`);
    expect(rows.some((r) => r.startsWith(`${a},failed,ConflictError,409,`))).toBe(true);
    expect(readFileSync(report, "utf8")).not.toContain("word-1");

    // The quoted password, with a comma and a quote in it, logs in.
    const authA = await reguser(["auth", ...at(a, "--password-stdin")], 'pa,ss"word-1\n');
    expect(authA.code).toBe(0);
  });

  it("--admin is only a fallback: where in-band registration works it is used, the admin path never touched", async () => {
    const name = uniqueName("ib");
    const password = strongPassword();
    const admin = ["--admin", "xep0133", "--admin-jid", `nobody@${server.domain}`];
    // No admin secret anywhere (no variable, no terminal): it is not needed, so it is not asked for.
    const run = await reguser(at(`username=${name}`, "--password-stdin", "--json", ...admin), `${password}\n`);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ command: "attempt", ok: true, username: name, registered: true });
    const auth = await reguser(["auth", ...at(name, "--password-stdin")], `${password}\n`);
    expect(auth.code).toBe(0);
  });

  it("connection refused: a clear message on stderr and exit 3", async () => {
    const port = await closedPort();
    const run = await reguser([`127.0.0.1:${port}`, "--timeout", "3000"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`reguser: Cannot connect to 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  });

  it("usage errors exit 2 with one line and where the help is, before anything is sent", async () => {
    const bad = await reguser([target, "not-a-field"]);
    expect(bad).toEqual({
      code: 2,
      stdout: "",
      stderr: "reguser: expected field=value after the host, got 'not-a-field'\nRun 'reguser --help' for the usage.\n",
    });

    // No arguments at all: the whole usage, as the book's script printed it.
    const none = await reguser([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage:\n {2}Inquiry: reguser host\[:port\]\n/);

    const bulk = await reguser(["bulk", target, "--pattern", "u{1..3}"]);
    expect(bulk.code).toBe(2);
    expect(bulk.stderr).toMatch(
      /^reguser: [^\n]*a pattern needs passwords[^\n]*\nRun 'reguser bulk --help' for the usage\.\n$/,
    );

    const noPassword = await reguser(["passwd", ...at("someone")]);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/needed: pass --password-stdin, or run on a terminal/);
    expect(noPassword.stderr).toMatch(/\nRun 'reguser passwd --help' for the usage\.\n$/);

    const attemptWithout = await reguser(at(`username=${uniqueName("nopw")}`));
    expect(attemptWithout.code).toBe(2);
    expect(attemptWithout.stderr).toMatch(/^reguser: an attempt needs a password/);

    const emptyName = await reguser(at("username=", "--password-stdin"), `${strongPassword()}\n`);
    expect(emptyName.code).toBe(2);
    expect(emptyName.stderr).toMatch(
      /^reguser: register: the "username" option must be a non-empty string, got an empty string\n$/,
    );

    const help = await reguser(["help", "passwd"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: reguser passwd host\[:port\] USERNAME/);
  });
});
