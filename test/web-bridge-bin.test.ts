// reguser-web-bridge: the built bin (node_modules/.bin/reguser-web-bridge → packages/web-bridge/dist/bin.js) as a
// child process. --help lists every setting; an unknown or missing setting exits 2 naming it; a port taken exits 1
// naming it; a real run over the embedded server in this process: login, ticket, event stream, SIGTERM → exit 0, and
// stdout holds JSON events with no password or token; a log reader that goes away does not take the bridge down.
import { spawnSync } from "node:child_process";
import net from "node:net";
import { type EmbeddedServer, startServer } from "@reguser/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PREFIX, SETTINGS } from "../packages/web-bridge/src/settings.js";
import { type RunningBin, startListeningBin } from "./support/listening-bin.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { runChild } from "./support/run-child.js";
import { openSse } from "./support/sse-client.js";

const LINK = new URL("../node_modules/.bin/reguser-web-bridge", import.meta.url).pathname;
/** Bounds on the child, far above what it needs: they only keep a hang from outliving the test. */
const EXIT_MS = 20_000;
const REQUEST_MS = 20_000;
const LISTENING = "reguser-web-bridge listening on http://127.0.0.1:";

let xmpp: EmbeddedServer;
const account = { username: uniqueName("bin"), password: strongPassword() };

beforeAll(async () => {
  const build = spawnSync("npx", ["tsc", "-b", "packages/web-bridge"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`tsc -b packages/web-bridge failed:\n${build.stdout}${build.stderr}`);
  xmpp = await startServer({ domain: "bridge-bin.test" });
  xmpp.users.add(account);
});
afterAll(() => xmpp?.close());

/** This process's environment without any REGUSER_* variable, plus `settings` (names without the prefix). */
function env(settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("REGUSER_")));
  return { ...base, ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [`${PREFIX}${k}`, v])) };
}

const target = () => ({ XMPP_SERVICE: `xmpp://127.0.0.1:${xmpp.port}`, XMPP_DOMAIN: xmpp.domain });
const run = (args: string[], settings: Record<string, string>) =>
  runChild(process.execPath, [LINK, ...args], { env: env(settings), limit: EXIT_MS });

/** Start the bin on a free port and wait for its listening line. */
const startBin = (settings: Record<string, string> = {}): Promise<RunningBin> =>
  startListeningBin({
    script: LINK,
    name: "reguser-web-bridge",
    listening: LISTENING,
    settings: (port) => ({ env: env({ ...target(), PORT: String(port), ...settings }) }),
  });

async function post(url: string, body: string, authorization?: string) {
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: authorization ? { authorization } : {},
    signal: AbortSignal.timeout(REQUEST_MS),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("settings", () => {
  it("--help lists every setting of SETTINGS, with its default", async () => {
    const help = await run(["--help"], {});
    expect(help.code).toBe(0);
    for (const setting of SETTINGS) {
      expect(help.stdout).toContain(`${PREFIX}${setting.name}\n`);
      if (setting.default !== undefined) expect(help.stdout).toContain(`default ${setting.default}`);
    }
    expect(help.stderr).toBe("");
  });

  it("an unknown REGUSER_WEB_BRIDGE_ setting, a missing XMPP_SERVICE, a bad value, an argument: exit 2, named", async () => {
    const unknown = await run([], { ...target(), FOO: "1" });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`${PREFIX}FOO`);
    const missing = await run([], { XMPP_DOMAIN: "example.org" });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${PREFIX}XMPP_SERVICE is required`);
    const bad = await run([], { ...target(), GRACE_MS: "soon" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${PREFIX}GRACE_MS`);
    const argument = await run(["--port", "1"], target());
    expect(argument.code).toBe(2);
    expect(argument.stderr).toContain("unknown argument --port");
    for (const refused of [unknown, missing, bad, argument]) expect(refused.stdout).toBe("");
  });

  it("a port another process holds: exit 1, naming the address, no stack trace", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const taken = await run([], { ...target(), PORT: String(port) });
      expect(taken.code).toBe(1);
      expect(taken.stderr).toMatch(new RegExp(`EADDRINUSE.*127\\.0\\.0\\.1:${port}`));
      expect(taken.stderr).not.toMatch(/\n\s+at /);
      expect(taken.stdout).toBe("");
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});

describe("a real run over the embedded server", () => {
  it("login, ticket, the event stream; SIGTERM ends it with exit 0; stdout is JSON events with no secret", async () => {
    const bin = await startBin();
    const secrets = [account.password];
    let sse: Awaited<ReturnType<typeof openSse>> | undefined;
    try {
      const login = await post(`${bin.url}/login/${account.username}`, account.password);
      expect(login.status).toBe(200);
      const token = login.json.token as string;
      secrets.push(token);
      expect((await post(`${bin.url}/login/${account.username}`, "not-the-password")).status).toBe(401);
      const ticketed = await post(`${bin.url}/ticket`, "", token);
      expect(ticketed.status).toBe(200);
      secrets.push(ticketed.json.ticket as string);
      sse = await openSse(`${bin.url}/sse?ticket=${ticketed.json.ticket}`);
      expect(await sse.next("onConnect")).toEqual({ username: account.username, name: null, email: null });
      // Stopped with the stream still open: the bridge ends it and the session, then exits.
      expect(await bin.stop("SIGTERM")).toBe(0);
      await sse.ended;
    } finally {
      sse?.close();
      await bin.stop("SIGKILL");
    }
    const [first, ...rest] = bin.stdout().trimEnd().split("\n");
    expect(first).toBe(`${LISTENING}${new URL(bin.url).port}`);
    const events = rest.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => e.type)).toEqual([
      "session_started",
      "login",
      "login_refused",
      "stream_opened",
      "stream_closed",
      "session_ended",
    ]);
    expect(events.at(-1)).toEqual({ type: "session_ended", username: account.username, detail: "shutdown" });
    for (const secret of secrets) expect(`${bin.stdout()}${bin.stderr()}`).not.toContain(secret);
    expect(bin.stderr()).toBe("");
  });

  it("a log reader that goes away (stdout closed): the bridge keeps serving, and SIGTERM still exits 0", async () => {
    const bin = await startBin();
    try {
      bin.child.stdout?.destroy();
      // Each of these writes a log line to the closed pipe.
      for (let i = 0; i < 3; i++) {
        expect((await post(`${bin.url}/login/${account.username}`, account.password)).status).toBe(200);
        expect((await post(`${bin.url}/login/${account.username}`, "wrong")).status).toBe(401);
      }
      const health = await fetch(`${bin.url}/health`, { signal: AbortSignal.timeout(REQUEST_MS) });
      expect(await health.json()).toEqual({ status: "ok", sessions: 1 });
      expect(await bin.stop("SIGTERM")).toBe(0);
    } finally {
      await bin.stop("SIGKILL");
    }
    expect(bin.stderr()).toBe("");
  });
});
