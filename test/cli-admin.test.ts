// reguser --admin xep0133: the built binary against a Prosody with in-band registration off and an admin account.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpenStreamOptions } from "reguser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { BIN, buildCli, type Run, reguser } from "./support/cli-binary.js";
import { describeTarget } from "./support/describe-target.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { outputPattern, runTranscript, transcript } from "./support/readme-transcript.js";
import { ejabberd, prosody } from "./support/real-targets.js";

const boss = { username: "boss", password: "boss-Pa55word-for-the-cli" };
const worker = { username: "worker", password: "worker-Pa55word-1" };
const ENV = { REGUSER_ADMIN_PASSWORD: boss.password };

/** Neither the admin's password nor these appear anywhere in what the command printed. */
function expectNoSecrets(run: Run, ...secrets: string[]): void {
  for (const secret of [boss.password, ...secrets]) expect(run.stdout + run.stderr).not.toContain(secret);
}

describeTarget(prosody, () => {
  let server: RunningServer;
  let connect: OpenStreamOptions;
  let dir: string;
  /** host:port, --domain, then the rest. */
  let at: (...rest: string[]) => string[];
  const admin = ["--admin", "xep0133", "--admin-jid", `${boss.username}@localhost`];

  beforeAll(async () => {
    buildCli();
    server = await startServer("prosody", { allowRegistration: false, admins: [boss], users: [worker] });
    connect = { host: server.host, port: server.port, domain: server.domain };
    at = (...rest) => [`${server.host}:${server.port}`, "--domain", server.domain, ...rest];
    dir = mkdtempSync(join(tmpdir(), "reguser-cli-admin-"));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("without --admin, the attempt reports the refusal as before (503, exit 1)", async () => {
    const name = uniqueName("closed");
    const run = await reguser(at(`username=${name}`, "--password-stdin"), `${strongPassword()}\n`);
    expect(run.stdout).toMatch(new RegExp(`^\\[Attempt\\] \\(${name}\\) Error: 503 \\(.+\\)\\n$`));
    expect(run.code).toBe(1);
  });

  it("book falls back to XEP-0133 when registration is refused, says so, and the account logs in", async () => {
    const name = uniqueName("juliet");
    const password = strongPassword();
    const run = await reguser(at(`username=${name}`, "--password-stdin", ...admin), `${password}\n`, ENV);
    expect(run.stdout).toMatch(
      new RegExp(
        `^\\[Attempt\\] \\(${name}\\) In-band registration refused: 503 \\(.+\\); using --admin xep0133 as boss@localhost\\n` +
          `\\[Attempt\\] \\(${name}\\) Successful registration \\(via admin\\)\\n$`,
      ),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expectNoSecrets(run, password);
    expect(await canLogIn(connect, name, password)).toBe(true);

    // The same name again: the provisioner's conflict is reported like an in-band 409.
    const again = await reguser(at(`username=${name}`, "--password-stdin", "--json", ...admin), "other-pw-1\n", ENV);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({
      command: "attempt",
      ok: false,
      username: name,
      via: "admin",
      inBandRefused: { name: "ServiceUnavailableError", code: 503 },
      error: { name: "ConflictError", code: 409, condition: "conflict" },
    });
    expectNoSecrets(again, "other-pw-1");
  });

  it("--admin-only skips in-band; --admin-password-stdin reads the admin's password after the account's", async () => {
    const name = uniqueName("romeo");
    const password = strongPassword();
    const run = await reguser(
      at(`username=${name}`, "--password-stdin", ...admin, "--admin-only", "--admin-password-stdin", "--json"),
      `${password}\n${boss.password}\n`,
    );
    expect(JSON.parse(run.stdout)).toEqual({
      command: "attempt",
      ok: true,
      username: name,
      registered: true,
      via: "admin",
    });
    expect(run.code).toBe(0);
    expectNoSecrets(run, password);
    expect(await canLogIn(connect, name, password)).toBe(true);
  });

  it("the admin secret is asked for once the admin path is needed: none to be had is one usage line, exit 2", async () => {
    const name = uniqueName("nosecret");
    const run = await reguser(at(`username=${name}`, "--password-stdin", ...admin), `${strongPassword()}\n`);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(new RegExp(`^\\[Attempt\\] \\(${name}\\) In-band registration refused: 503 `));
    expect(run.stderr).toBe(
      "reguser: Admin password needed: set REGUSER_ADMIN_PASSWORD, pass --admin-password-stdin, or run on a terminal to be prompted\n" +
        "Run 'reguser --help' for the usage.\n",
    );

    const bulk = await reguser([
      "bulk",
      ...at("--pattern", `${name}b{1..3}`, "--password-template", "t-{user}-1", ...admin),
    ]);
    expect(bulk.code).toBe(2);
    expect(bulk.stderr).toMatch(/^reguser: Admin password needed: .*\nRun 'reguser bulk --help' for the usage\.\n$/);
  });

  it("bulk registers 20 users through the admin path, reports it, and they log in", async () => {
    const prefix = uniqueName("adm");
    const report = join(dir, "report.json");
    const out = join(dir, "users.csv");
    const run = await reguser(
      [
        "bulk",
        ...at("--pattern", `${prefix}{01..20}`, "--random-passwords", "--out", out, "--report", report, "--json"),
        ...admin,
      ],
      "",
      ENV,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      command: "bulk",
      ok: true,
      registered: 20,
      failed: 0,
      viaAdmin: 20,
      via: "admin",
      inBandRefused: { name: "ServiceUnavailableError", code: 503 },
    });
    const json = JSON.parse(readFileSync(report, "utf8"));
    expect(json.outcomes).toHaveLength(20);
    expect(json.outcomes.every((o: { ok: boolean; via?: string }) => o.ok && o.via === "admin")).toBe(true);
    const rows = readFileSync(out, "utf8").trim().split("\n").slice(1);
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      const [username, password] = row.split(",") as [string, string];
      expectNoSecrets(run, password);
      expect(await canLogIn(connect, username, password)).toBe(true);
    }

    // Overlapping names: the taken ones fail as ConflictError, the rest are made; human output says how.
    const overlap = await reguser(
      ["bulk", ...at("--pattern", `${prefix}{19..23}`, "--password-template", "tpl-{user}-pw"), ...admin],
      "",
      ENV,
    );
    expect(overlap.code).toBe(1);
    expect(overlap.stdout).toMatch(/^\[Bulk\] In-band registration refused: 503 \(.+\); using --admin xep0133/);
    expect(overlap.stdout).toContain(`[Bulk] (${prefix}19) Error: 409 (`);
    expect(overlap.stdout).toMatch(/\[Bulk\] ok 3 \(3 via admin\), failed 2 \(ConflictError 2\) in \d+\.\d s\n$/);
    expect(await canLogIn(connect, `${prefix}23`, `tpl-${prefix}23-pw`)).toBe(true);
  });

  it("passwd --admin sets a new password without the old one", async () => {
    const name = uniqueName("pw");
    const [oldPassword, newPassword] = [strongPassword(), strongPassword()];
    await reguser(at(`username=${name}`, "--password-stdin", ...admin, "--admin-only"), `${oldPassword}\n`, ENV);

    const run = await reguser(["passwd", ...at(name, "--password-stdin"), ...admin], `${newPassword}\n`, ENV);
    expect(run).toEqual({ code: 0, stdout: `[Passwd] (${name}) Password changed (via admin)\n`, stderr: "" });
    expect(await canLogIn(connect, name, newPassword)).toBe(true);
    expect(await canLogIn(connect, name, oldPassword)).toBe(false);
    expectNoSecrets(run, newPassword);
  });

  it("remove --admin deletes the account without its password; again is 404", async () => {
    const name = uniqueName("rm");
    const password = strongPassword();
    await reguser(at(`username=${name}`, "--password-stdin", ...admin, "--admin-only"), `${password}\n`, ENV);
    expect(await canLogIn(connect, name, password)).toBe(true);

    const run = await reguser(["remove", ...at(name), ...admin], "", ENV);
    expect(run).toEqual({ code: 0, stdout: `[Remove] (${name}) Account removed (via admin)\n`, stderr: "" });
    expect(await canLogIn(connect, name, password)).toBe(false);

    const again = await reguser(["remove", ...at(name, "--json"), ...admin], "", ENV);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({
      command: "remove",
      ok: false,
      error: { name: "ItemNotFoundError" },
    });
  });

  it("a wrong admin password: exit 1, says the admin credential was refused, echoes no password", async () => {
    const wrong = "wrong-Admin-pa55word";
    const name = uniqueName("nope");
    const password = strongPassword();
    const run = await reguser(at(`username=${name}`, "--password-stdin", ...admin), `${password}\n`, {
      REGUSER_ADMIN_PASSWORD: wrong,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `\\[Attempt\\] \\(${name}\\) Error: 401 \\(the admin credential was refused \\(--admin xep0133 as boss@localhost\\)`,
      ),
    );
    expectNoSecrets(run, wrong, password);
    expect(await canLogIn(connect, name, password)).toBe(false);

    const json = await reguser(
      ["passwd", ...at(worker.username, "--password-stdin", "--json"), ...admin],
      "new-pw-1\n",
      {
        REGUSER_ADMIN_PASSWORD: wrong,
      },
    );
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      command: "passwd",
      ok: false,
      error: { name: "AdminCredentialError", code: 401, condition: "not-authorized" },
    });
    expectNoSecrets(json, wrong, "new-pw-1");

    // In bulk, the first refusal of the credential ends the run rather than failing every account one by one.
    const bulk = await reguser(
      [
        "bulk",
        ...at("--pattern", `${name}b{001..200}`, "--password-template", "pw-{user}-x", "--concurrency", "4"),
        ...admin,
      ],
      "",
      { REGUSER_ADMIN_PASSWORD: wrong },
    );
    expect(bulk.code).toBe(1);
    expect(bulk.stdout).toMatch(
      /\[Bulk\] Error: 401 \(the admin credential was refused \(--admin xep0133 as boss@localhost\).*\n$/,
    );
    // One account goes alone until the admin path has worked once: the wrong credential costs one.
    expect(bulk.stdout).toMatch(
      /^\[Bulk\] In-band registration refused: 503 .*\n\[Bulk\] ok 0, failed 1 \(AdminCredentialError 1\) in /,
    );
    expectNoSecrets(bulk, wrong);
    expect(await canLogIn(connect, worker.username, worker.password)).toBe(true);
  });

  it("the README's --admin transcript runs as written: register, passwd, remove, bulk", async () => {
    const readme = readFileSync(new URL("../packages/cli/README.md", import.meta.url), "utf8");
    const steps = transcript(readme, "--admin xep0133 --admin-jid boss@localhost");
    expect(steps.map((s) => s.command.split(" --")[0])).toEqual([
      `printf '%s\\n' "$PASSWORD" | reguser 127.0.0.1`,
      `printf '%s\\n' "$NEW_PASSWORD" | reguser passwd 127.0.0.1`,
      "reguser remove 127.0.0.1",
      "reguser bulk 127.0.0.1",
    ]);
    const [password, newPassword] = [strongPassword(), strongPassword()];
    const runs = await runTranscript(steps, {
      bin: BIN,
      cwd: dir,
      env: { ...ENV, PASSWORD: password, NEW_PASSWORD: newPassword },
      rewrite: (command) => command.replaceAll("127.0.0.1 ", `127.0.0.1:${server.port} `),
    });
    for (const run of runs) {
      expect({ command: run.command, stdout: run.stdout, stderr: run.stderr }).toEqual({
        command: run.command,
        stdout: expect.stringMatching(outputPattern(run.expected)),
        stderr: "",
      });
      expect(run.code).toBe(0);
      expectNoSecrets({ code: run.code, stdout: run.stdout, stderr: run.stderr }, password, newPassword);
    }
    expect(await canLogIn(connect, "juliet", newPassword)).toBe(false); // removed
    const [username, staffPassword] = readFileSync(join(dir, "staff.csv"), "utf8").split("\n")[5]!.split(",");
    expect(await canLogIn(connect, username!, staffPassword!)).toBe(true);
  });

  it("a --admin-jid that is not an admin: exit 1, the server does not offer the command", async () => {
    const run = await reguser(
      at(`username=${uniqueName("x")}`, "--password-stdin", "--admin", "xep0133", "--admin-jid", worker.username),
      `${strongPassword()}\n`,
      { REGUSER_ADMIN_PASSWORD: worker.password },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Error: 501 \(localhost does not offer .*#add-user to this account\)/);
    expectNoSecrets(run, worker.password);
  });
});

describeTarget(ejabberd, () => {
  let server: RunningServer;
  let connect: OpenStreamOptions;
  let at: (...rest: string[]) => string[];
  const admin = ["--admin", "xep0133", "--admin-jid", `${boss.username}@localhost`];

  beforeAll(async () => {
    buildCli();
    server = await startServer("ejabberd", { allowRegistration: false, admins: [boss] });
    connect = { host: server.host, port: server.port, domain: server.domain };
    at = (...rest) => [`${server.host}:${server.port}`, "--domain", server.domain, ...rest];
  });
  afterAll(() => server?.stop());

  it("ejabberd's 403 is a refusal too: book and bulk fall back to XEP-0133", async () => {
    const name = uniqueName("ej");
    const password = strongPassword();
    const run = await reguser(at(`username=${name}`, "--password-stdin", ...admin), `${password}\n`, ENV);
    expect(run.stdout).toMatch(
      new RegExp(`^\\[Attempt\\] \\(${name}\\) In-band registration refused: 403 \\(.+\\); using --admin xep0133`),
    );
    expect(run.stdout).toMatch(/Successful registration \(via admin\)\n$/);
    expect(run.code).toBe(0);
    expect(await canLogIn(connect, name, password)).toBe(true);

    const bulk = await reguser(
      ["bulk", ...at("--pattern", `${name}b{1..5}`, "--password-template", "pw-{user}-ej", "--json"), ...admin],
      "",
      ENV,
    );
    expect(JSON.parse(bulk.stdout)).toMatchObject({
      ok: true,
      registered: 5,
      viaAdmin: 5,
      inBandRefused: { code: 403 },
    });
    expect(await canLogIn(connect, `${name}b4`, `pw-${name}b4-ej`)).toBe(true);
    expectNoSecrets(bulk);
  });
});
