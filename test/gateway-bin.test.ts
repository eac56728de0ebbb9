// reguser-gateway: the built bin (packages/gateway/dist/bin.js) as a child process. --help and new-token; settings
// it refuses, exit 2 without showing a secret; a backend or SMTP server it cannot reach, 502 and no crash; and real
// runs over XEP-0133 on Prosody with an SMTP sink, from the environment and from --config with secrets in files.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SmtpSink, startSmtpSink } from "@reguser/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETTINGS } from "../packages/gateway/src/config/settings.js";
import { type RunningServer, startServer } from "./servers/index.js";
import { freePort } from "./servers/ports.js";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { pageClient } from "./support/gateway-fixture.js";
import { type RunningBin, startListeningBin } from "./support/listening-bin.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { prosody } from "./support/real-targets.js";
import { type Run, runChild } from "./support/run-child.js";

const BIN = new URL("../packages/gateway/dist/bin.js", import.meta.url).pathname;
const LINK = new URL("../node_modules/.bin/reguser-gateway", import.meta.url).pathname;
const PREFIX = "REGUSER_GATEWAY_";
/** Bounds on the child, far above what it needs: they only keep a hang from outliving the test. */
const EXIT_MS = 20_000;
const REQUEST_MS = 20_000;

const admin = { username: "gwboss", password: `admin-${strongPassword()}` };
const secret = `secret-${strongPassword()}-${strongPassword()}`;

let dir: string;
beforeAll(() => {
  const build = spawnSync("npx", ["tsc", "-b", "packages/gateway"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`tsc -b packages/gateway failed:\n${build.stdout}${build.stderr}`);
  dir = mkdtempSync(join(tmpdir(), "reguser-gateway-bin-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** This process's environment without any REGUSER_* variable, plus `extra`. */
function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("REGUSER_")));
  return { ...base, ...extra };
}

/** `settings` (names without the prefix) as environment variables; an undefined value leaves the name out. */
const asEnv = (settings: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(settings).map(([name, value]) => [`${PREFIX}${name}`, value]));

const gatewayRun = (args: string[], env: NodeJS.ProcessEnv): Promise<Run> =>
  runChild(process.execPath, [LINK, ...args], { env, limit: EXIT_MS });

const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
};

/** Start the bin with `settings(port)` on a free port and wait for its "listening" line. */
const startBin = (settings: (port: number) => { args?: string[]; env: NodeJS.ProcessEnv }): Promise<RunningBin> =>
  startListeningBin({ script: LINK, name: "reguser-gateway", listening: "reguser-gateway listening on ", settings });

/** The bin's stdout as it should be: its listening and stopped lines, and between them JSON events only. */
function events(stdout: string): Array<Record<string, unknown>> {
  const lines = stdout.trimEnd().split("\n");
  expect(lines[0]).toMatch(/^reguser-gateway listening on http:\/\/127\.0\.0\.1:\d+ /);
  expect(lines.at(-1)).toMatch(/^reguser-gateway stopped \(SIG(TERM|INT)\)$/);
  return lines.slice(1, -1).map((line) => JSON.parse(line));
}

const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(REQUEST_MS) });

async function api(url: string, body: Record<string, string>) {
  const response = await fetch(`${url}/api`, {
    method: "POST",
    signal: AbortSignal.timeout(REQUEST_MS),
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A port nothing listens on. */
const closedPort = freePort;

describe("reguser-gateway", () => {
  it("is installed as node_modules/.bin/reguser-gateway, the built dist/bin.js", () => {
    expect(existsSync(LINK)).toBe(true);
    expect(realpathSync(LINK)).toBe(realpathSync(BIN));
  });

  it("--help exits 0 and names every setting, and which are secrets (NAME_FILE)", async () => {
    const run = await gatewayRun(["--help"], cleanEnv());
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^Usage: reguser-gateway/);
    for (const setting of SETTINGS) {
      expect(run.stdout).toMatch(new RegExp(`^  ${PREFIX}${setting.name}$`, "m"));
      const isSecret = "secret" in setting && setting.secret === true;
      expect(run.stdout.includes(`${PREFIX}${setting.name}_FILE`), setting.name).toBe(isSecret);
    }
  });

  it("new-token ID prints a token and ID:<its SHA-256>", async () => {
    const run = await gatewayRun(["new-token", "app1"], cleanEnv());
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const token = /^token \(give it to the app\): +(\S+)$/m.exec(run.stdout)?.[1] as string;
    const digest = /^setting \(REGUSER_GATEWAY_CLIENT_TOKENS\): app1:([0-9a-f]{64})$/m.exec(run.stdout)?.[1];
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(digest).toBe(createHash("sha256").update(token).digest("hex"));
    const other = await gatewayRun(["new-token"], cleanEnv());
    expect(other.stdout).not.toContain(token);
    expect(other.stdout).toMatch(/: app:[0-9a-f]{64}$/m);
  });

  describe("refuses a bad setting with exit 2, naming it and showing no secret", () => {
    const adminPassword = `admin-${strongPassword()}`;
    const storePassword = `store-${strongPassword()}`;
    const pastedToken = `pasted-${strongPassword()}`;
    /** Everything a server needs, but unreachable: nothing here must ever connect. */
    const good = (): Record<string, string> => ({
      PUBLIC_URL: "http://127.0.0.1:9",
      PORT: "0",
      DOMAIN: "localhost",
      SECRET: secret,
      CLIENT_TOKENS: `app:${"ab".repeat(32)}`,
      BACKEND: "xep0133",
      XMPP_PORT: "9",
      ADMIN_USERNAME: "boss",
      ADMIN_PASSWORD: adminPassword,
      SMTP_URL: "smtp://127.0.0.1:9",
      MAIL_FROM: "accounts@example.org",
      STORE: "sqlite::memory:",
    });
    const cases: Array<{
      what: string;
      settings: Record<string, string | undefined>;
      config?: string;
      names: string;
    }> = [
      { what: "a missing PUBLIC_URL", settings: { PUBLIC_URL: undefined }, names: `${PREFIX}PUBLIC_URL is required` },
      { what: "an unknown variable", settings: { FOO: "1" }, names: `${PREFIX}FOO: unknown setting` },
      {
        what: "an unknown key in the --config file",
        settings: {},
        config: JSON.stringify({ DOMAIN: "localhost", FOO: secret }),
        names: ": FOO: unknown setting",
      },
      {
        what: "a --config file that is not JSON (its text is not quoted)",
        settings: {},
        config: `{ "SECRET": ${secret} }`,
        names: "not valid JSON",
      },
      { what: "a bad BACKEND", settings: { BACKEND: "mysql" }, names: `${PREFIX}BACKEND must be xep0133` },
      {
        what: "a SECRET under 32 bytes",
        settings: { SECRET: "short-but-secret" },
        names: `${PREFIX}SECRET must be at least 32 bytes`,
      },
      {
        what: "a CLIENT_TOKENS entry without a digest (a token pasted by mistake)",
        settings: { CLIENT_TOKENS: pastedToken },
        names: `${PREFIX}CLIENT_TOKENS: entry 1 has no digest`,
      },
      {
        what: "a CLIENT_TOKENS entry with a token for its digest",
        settings: { CLIENT_TOKENS: `app:${pastedToken}` },
        names: `${PREFIX}CLIENT_TOKENS: app needs the token's SHA-256`,
      },
      {
        what: "a bad STORE",
        settings: { STORE: `mysql://gw:${storePassword}@127.0.0.1/gw` },
        names: `${PREFIX}STORE must be sqlite:PATH or redis://`,
      },
      {
        what: "a *_FILE that does not exist",
        settings: { ADMIN_PASSWORD: undefined, ADMIN_PASSWORD_FILE: "/nonexistent/admin-password" },
        names: `${PREFIX}ADMIN_PASSWORD_FILE: cannot read /nonexistent/admin-password (ENOENT)`,
      },
      {
        what: "a secret given both as NAME and NAME_FILE",
        settings: { SECRET_FILE: "/nonexistent/secret" },
        names: `${PREFIX}SECRET_FILE: give SECRET or SECRET_FILE, not both`,
      },
      { what: "a PORT out of range", settings: { PORT: "65536" }, names: `${PREFIX}PORT must be a whole number` },
      {
        what: "an SMTP_URL that is not smtp://",
        settings: { SMTP_URL: `mail.example.org:${storePassword}` },
        names: `${PREFIX}SMTP_URL must be a URL starting smtp:// or smtps://`,
      },
    ];
    it.each(cases)("$what", async ({ settings, config, names }) => {
      const args = config === undefined ? [] : ["--config", write(`${uniqueName("config")}.json`, config)];
      const run = await gatewayRun(args, cleanEnv(asEnv({ ...good(), ...settings })));
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(names);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      for (const hidden of [secret, adminPassword, storePassword, pastedToken, "short-but-secret"]) {
        expect(run.stderr).not.toContain(hidden);
      }
    });

    it("an unknown flag, or command, is exit 2 with the usage", async () => {
      for (const args of [["--nope"], ["serve"], ["new-token", "not an id"]]) {
        const run = await gatewayRun(args, cleanEnv(asEnv(good())));
        expect(run.code).toBe(2);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(/^reguser-gateway: .+\n\nUsage: reguser-gateway \[--config FILE\]/);
      }
    });
  });

  describe("a backend or SMTP server it cannot reach: 502 on the first request that needs it, and no crash", () => {
    let sink: SmtpSink;
    beforeAll(async () => {
      sink = await startSmtpSink();
    });
    afterAll(() => sink?.stop());

    const settings = async (smtpUrl: string) => {
      const client = { token: `tok-${strongPassword()}`, id: "app" };
      const digest = createHash("sha256").update(client.token).digest("hex");
      const xmppPort = String(await closedPort());
      const bin = await startBin((port) => ({
        env: cleanEnv(
          asEnv({
            PUBLIC_URL: `http://127.0.0.1:${port}`,
            PORT: String(port),
            DOMAIN: "localhost",
            SECRET: secret,
            CLIENT_TOKENS: `${client.id}:${digest}`,
            BACKEND: "xep0133",
            XMPP_PORT: xmppPort,
            ADMIN_USERNAME: admin.username,
            ADMIN_PASSWORD: admin.password,
            SMTP_URL: smtpUrl,
            MAIL_FROM: "accounts@example.org",
            STORE: "sqlite::memory:",
          }),
        ),
      }));
      return { bin, token: client.token };
    };

    it("XMPP: the link's form answers 502, shows the form again, and the gateway stays up", async () => {
      const { bin, token } = await settings(sink.url);
      try {
        const username = uniqueName("down");
        const email = `${username}@mail.example.org`;
        expect((await api(bin.url, { token, action: "create", username, email })).status).toBe(200);
        const link = (await sink.next(email)).link as string;
        const browser = pageClient(bin.url);
        const form = await browser.get(link);
        expect(form.status).toBe(200);
        const password = strongPassword();
        const failed = await browser.post("set-password", { ...form.fields, password, confirm: password });
        expect(failed.status).toBe(502);
        expect(failed.html).toContain("The XMPP server could not create the account");
        expect(failed.fields.t).toBe(form.fields.t);
        expect((await get(`${bin.url}/health`)).status).toBe(200);
      } finally {
        expect(await bin.stop()).toBe(0);
      }
      expect(bin.stderr()).toBe("");
      expect(events(bin.stdout())).toContainEqual(
        expect.objectContaining({ type: "backend_failed", detail: expect.stringMatching(/^ConnectionError/) }),
      );
    });

    it("SMTP: create answers 502 mail_failed, and the gateway stays up", async () => {
      const { bin, token } = await settings(`smtp://127.0.0.1:${await closedPort()}`);
      const username = uniqueName("nomail");
      try {
        const failed = await api(bin.url, { token, action: "create", username, email: `${username}@example.org` });
        expect(failed).toMatchObject({ status: 502, json: { error: "mail_failed" } });
        expect((await get(`${bin.url}/health`)).status).toBe(200);
      } finally {
        expect(await bin.stop()).toBe(0);
      }
      expect(bin.stderr()).toBe("");
      expect(events(bin.stdout())).toContainEqual(expect.objectContaining({ type: "mail_failed", username }));
    });
  });
});

describeTarget(prosody, () => {
  let server: RunningServer;
  let sink: SmtpSink;
  let caFile: string;

  beforeAll(async () => {
    [server, sink] = await Promise.all([
      startServer("prosody", { allowRegistration: false, admins: [admin], tls: true }),
      startSmtpSink(),
    ]);
    caFile = write("prosody-ca.pem", server.ca as string);
  });
  afterAll(async () => {
    await sink?.stop();
    await server?.stop();
  });

  /** What a run needs besides the port: the common settings, by name. */
  const common = (client: { id: string; sha256: string }) => ({
    DOMAIN: server.domain,
    CLIENT_TOKENS: `${client.id}:${client.sha256}`,
    BACKEND: "xep0133",
    XMPP_HOST: server.host,
    XMPP_PORT: String(server.port),
    XMPP_CA_FILE: caFile,
    ADMIN_USERNAME: admin.username,
    MAIL_FROM: "accounts@example.org",
  });

  const newClient = (id: string) => {
    const token = `tok-${strongPassword()}`;
    return { id, token, sha256: createHash("sha256").update(token).digest("hex") };
  };

  /** Health, a sign-up through the API, the mailed link and its form; the account then logs in on Prosody. */
  async function signUp(bin: RunningBin, token: string, hidden: string[]) {
    const health = await get(`${bin.url}/health`);
    expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { status: "ok" } });

    const username = uniqueName("bin");
    const email = `${username}@mail.example.org`;
    const created = await api(bin.url, { token, action: "create", username, email, name: "Bin User" });
    expect(created).toMatchObject({ status: 200, json: { status: "ok", action: "create" } });
    const mail = await sink.next(email);
    expect(mail.link).toMatch(new RegExp(`^${bin.url}/set-password\\?t=[\\w.-]+$`));
    const linkToken = new URL(mail.link as string).searchParams.get("t") as string;

    const browser = pageClient(bin.url);
    const form = await browser.get(mail.link as string);
    expect(form.status).toBe(200);
    expect(form.fields).toMatchObject({ t: linkToken, csrf: expect.any(String) });
    expect(browser.cookie).not.toBe("");
    const password = strongPassword();
    const done = await browser.post("set-password", { ...form.fields, password, confirm: password });
    expect(done.status).toBe(200);
    expect(done.html).toContain(`Your account <b>${username}@${server.domain}</b> is ready`);
    expect(await canLogIn(connectTo(server), username, password)).toBe(true);
    hidden.push(linkToken, password, browser.cookie.split("=")[1] as string);
    return { username, mail };
  }

  /** After the stop: the log has the sign-up's events, and nothing in it or on stderr is a secret. */
  function checkLog(bin: RunningBin, username: string, hidden: string[]) {
    const logged = events(bin.stdout());
    expect(logged.map((e) => e.type)).toEqual(expect.arrayContaining(["signup_link_sent", "account_created"]));
    expect(logged.filter((e) => e.username === username).length).toBeGreaterThanOrEqual(2);
    expect(bin.stderr()).toBe("");
    for (const secretValue of hidden) {
      expect(secretValue.length).toBeGreaterThan(8);
      expect(bin.stdout()).not.toContain(secretValue);
    }
  }

  it("from the environment: signs up over XEP-0133, logs nothing secret, and SIGTERM exits 0", async () => {
    const client = newClient("env-app");
    const hidden = [client.token, admin.password, secret];
    const bin = await startBin((port) => ({
      env: cleanEnv(
        asEnv({
          ...common(client),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          PORT: String(port),
          SECRET: secret,
          ADMIN_PASSWORD: admin.password,
          SMTP_URL: sink.url,
          STORE: `sqlite:${join(dir, "env.sqlite")}`,
        }),
      ),
    }));
    let username: string;
    try {
      ({ username } = await signUp(bin, client.token, hidden));
    } finally {
      expect(await bin.stop("SIGTERM")).toBe(0);
    }
    checkLog(bin, username, hidden);
    expect(existsSync(join(dir, "env.sqlite"))).toBe(true);
  });

  it("when Prosody goes away after a sign-up, the next link's form is 502 and the gateway stays up", async () => {
    const gone = await startServer("prosody", { allowRegistration: false, admins: [admin] });
    const client = newClient("gone-app");
    const bin = await startBin((port) => ({
      env: cleanEnv(
        asEnv({
          ...common(client),
          XMPP_PORT: String(gone.port),
          XMPP_CA_FILE: undefined,
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          PORT: String(port),
          SECRET: secret,
          ADMIN_PASSWORD: admin.password,
          SMTP_URL: sink.url,
          STORE: "sqlite::memory:",
        }),
      ),
    }));
    try {
      const first = uniqueName("gone");
      await api(bin.url, { token: client.token, action: "create", username: first, email: `${first}@example.org` });
      const browser = pageClient(bin.url);
      const form = await browser.get((await sink.next(`${first}@example.org`)).link as string);
      const password = strongPassword();
      expect((await browser.post("set-password", { ...form.fields, password, confirm: password })).status).toBe(200);

      await gone.stop();
      const second = uniqueName("gone");
      await api(bin.url, { token: client.token, action: "create", username: second, email: `${second}@example.org` });
      const later = await browser.get((await sink.next(`${second}@example.org`)).link as string);
      const failed = await browser.post("set-password", { ...later.fields, password, confirm: password });
      expect(failed.status).toBe(502);
      expect((await get(`${bin.url}/health`)).status).toBe(200);
    } finally {
      await gone.stop();
      expect(await bin.stop()).toBe(0);
    }
    expect(bin.stderr()).toBe("");
    expect(events(bin.stdout())).toContainEqual(expect.objectContaining({ type: "backend_failed" }));
  });

  it("from --config with secrets in *_FILE, the environment winning over the file; SIGINT exits 0", async () => {
    const client = newClient("file-app");
    const hidden = [client.token, admin.password, secret];
    const bin = await startBin((port) => {
      const config = {
        ...common(client),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        PORT: port,
        XMPP_PORT: server.port,
        XMPP_TLS: "starttls",
        SECRET_FILE: write("secret", `${secret}\n`),
        ADMIN_PASSWORD_FILE: write("admin-password", `${admin.password}\n`),
        SMTP_URL_FILE: write("smtp-url", sink.url),
        STORE: `sqlite:${join(dir, "config.sqlite")}`,
        SIGNUP_PAGE: false,
        MAIL_FROM: "file@example.org",
      };
      return {
        args: ["--config", write(`${uniqueName("config")}.json`, JSON.stringify(config))],
        env: cleanEnv(asEnv({ MAIL_FROM: "env@example.org" })),
      };
    });
    let username: string;
    try {
      const signedUp = await signUp(bin, client.token, hidden);
      username = signedUp.username;
      expect(signedUp.mail.from).toBe("env@example.org");
      // SIGNUP_PAGE: false, a JSON boolean.
      expect((await get(`${bin.url}/signup`)).status).toBe(404);
    } finally {
      expect(await bin.stop("SIGINT")).toBe(0);
    }
    checkLog(bin, username, hidden);
  });
});
