// The reguser-server executable as a shell user runs it: flags, the listening line, a client, Ctrl-C, usage errors.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildRegistrationFormRequest, fillForm, NS, parseDataForm } from "@reguser/protocol";
import { makeSelfSigned, type SelfSigned } from "@reguser/test-kit";
import xml from "@xmpp/xml";
import { authenticate, authMethods, inquire, openStream, register, StanzaError } from "reguser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FLAGS } from "../src/cli/flags.js";
import { buildServer, type RunningBin, runBin, startBin } from "./helpers/server-bin.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const running: RunningBin[] = [];
const start = async (args: string[]) => {
  const bin = await startBin(args);
  running.push(bin);
  return bin;
};
afterEach(() => {
  for (const bin of running.splice(0)) if (bin.child.exitCode === null) bin.child.kill("SIGKILL");
});

let dir: string;
let cert: SelfSigned;
beforeAll(async () => {
  buildServer();
  dir = await mkdtemp(join(tmpdir(), "reguser-server-bin-"));
  cert = await makeSelfSigned(dir, "localhost");
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (port: number, extra = {}) => openStream({ host: "127.0.0.1", port, domain: "localhost", ...extra });

describe("reguser-server", () => {
  it("says where it listens, serves registration and login, and stops cleanly on SIGINT (exit 0)", async () => {
    const bin = await start(["--port", "0", "--domain", "localhost"]);
    expect(bin.stdout()).toBe(`reguser-server listening on 127.0.0.1:${bin.port} (domain localhost)\n`);
    const stream = await open(bin.port);
    expect((await inquire(stream)).fields).toEqual(["name", "email", "username", "password"]);
    await register(stream, { username: "joseph", password: "spinach" });
    const session = await authenticate(stream, { username: "joseph", password: "spinach", resource: "r" });
    expect(session.jid).toBe("joseph@localhost/r");
    await stream.close();
    bin.child.kill("SIGINT");
    expect(await bin.exited).toEqual({ code: 0, signal: null });
    expect(bin.stdout()).toMatch(/reguser-server stopped \(SIGINT\)\n$/);
    expect(bin.stderr()).toBe("");
  }, 60_000);

  it("with --websocket-port, also serves XMPP over WebSocket and says where", async () => {
    const bin = await start(["--port", "0", "--websocket-port", "0"]);
    // Printed right after the listening line; it may come in the next chunk.
    for (let i = 0; i < 200 && !/WebSocket at/.test(bin.stdout()); i++) await new Promise((r) => setTimeout(r, 25));
    const url = /reguser-server WebSocket at (ws:\/\/127\.0\.0\.1:\d+\/xmpp-websocket)\n/.exec(bin.stdout())?.[1];
    expect(url).toBeDefined();
    const stream = await openStream({ url: url as string, domain: "localhost" });
    expect(stream.transport).toBe("websocket");
    await register(stream, { username: "wsjoseph", password: "spinach" });
    await authenticate(stream, { username: "wsjoseph", password: "spinach", resource: "ws" });
    await stream.close();
    bin.child.kill("SIGINT");
    expect(await bin.exited).toEqual({ code: 0, signal: null });
  }, 60_000);

  it("closes the streams still open on SIGTERM and exits 0", async () => {
    const bin = await start(["--port", "0"]);
    const stream = await open(bin.port);
    bin.child.kill("SIGTERM");
    // The server ends the stream (system-shutdown) before it exits.
    await stream.ended;
    expect(stream.closed).toBe(true);
    expect(await bin.exited).toEqual({ code: 0, signal: null });
  }, 60_000);

  it("takes the modes as flags: fields, error style, auth methods, 0k sequences, TLS files, a JSON store", async () => {
    const store = join(dir, "accounts.json");
    const bin = await start([
      ...["--port", "0", "--fields", "email", "--errors", "legacy", "--auth-methods", "digest,0k"],
      ...["--zero-knowledge-sequences", "7", "--tls-cert", cert.certFile, "--tls-key", cert.keyFile, "--store", store],
    ]);
    const stream = await open(bin.port, { tls: "starttls", ca: cert.certPem });
    expect((await inquire(stream)).fields).toEqual(["email", "username", "password"]);
    await register(stream, { username: "ann", password: "pw" });
    const taken = await register(stream, { username: "ann", password: "pw" }).catch((err: unknown) => err);
    expect(taken).toBeInstanceOf(StanzaError);
    // Legacy style: a code and the text, no condition element, no type.
    expect((taken as StanzaError).element?.getChild("error")?.toString()).toBe(
      '<error code="409">Username Not Available</error>',
    );
    const offer = await authMethods(stream, "ann");
    expect([offer.plain, offer.digest, offer.zeroKnowledge?.sequence]).toEqual([false, true, 6]);
    await stream.close();
    expect((await stat(store)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(store, "utf8")).accounts[0].username).toBe("ann");
    bin.child.kill("SIGINT");
    expect((await bin.exited).code).toBe(0);
  }, 60_000);

  it("takes --invites and --invite-token: invite-only, the seeded token lets one registration through", async () => {
    const bin = await start(["--port", "0", "--invites", "--invite-token", "cli-token"]);
    const stream = await open(bin.port);
    expect(stream.features.invites).toBe(true);
    const refused = await register(stream, { username: "ann", password: "pw" }).catch((err: unknown) => err);
    expect((refused as StanzaError).text).toBe("Registration on this server is through invitation only");
    await stream.set(xml("preauth", { xmlns: NS.pars, token: "cli-token" }), { to: "localhost" });
    await register(stream, { username: "ann", password: "pw" });
    await stream.close();
    bin.child.kill("SIGINT");
    expect((await bin.exited).code).toBe(0);
  }, 60_000);

  it("takes --captcha: ejabberd's CAPTCHA form, and every challenge's answer is 123456", async () => {
    const bin = await start(["--port", "0", "--captcha"]);
    const stream = await open(bin.port);
    const query = await stream.get(xml("query", { xmlns: NS.register }), { to: "localhost" });
    const x = query.getChild("x", NS.dataForms);
    expect(x?.getChildren("field").map((f) => f.attrs.var)).toContain("ocr");
    const { form } = fillForm(parseDataForm(x as NonNullable<typeof x>), {
      username: "ann",
      password: "pw",
      ocr: "123456",
    });
    await stream.set(buildRegistrationFormRequest(form), { to: "localhost" });
    await authenticate(stream, { username: "ann", password: "pw", resource: "r" });
    await stream.close();
    bin.child.kill("SIGINT");
    expect((await bin.exited).code).toBe(0);
  }, 60_000);

  it("lists every flag in --help (exit 0)", { timeout: 60_000 }, () => {
    const run = runBin(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: reguser-server \[options\]/);
    for (const name of Object.keys(FLAGS)) expect(run.stdout).toContain(`--${name}`);
    expect(run.stderr).toBe("");
  });

  it("has every flag documented in the package README", async () => {
    const readme = await readFile(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
    for (const name of Object.keys(FLAGS)) if (name !== "help") expect(readme).toContain(`--${name}`);
  });

  it.each([
    [["--bogus"], "unknown option --bogus"],
    [["--port", "abc"], "--port must be a whole number from 0 to 65535"],
    [["--port"], "--port needs a value (or takes none)"],
    [["--errors", "loud"], "--errors must be one of both, legacy, modern"],
    [["--auth-methods", "plain,md5"], "--auth-methods: 'md5' is not one of plain, digest, 0k"],
    [["--tls-cert", "x.pem"], "--tls-cert and --tls-key go together"],
    [
      ["--tls-cert", "/nonexistent/c.pem", "--tls-key", "/nonexistent/k.pem"],
      "cannot read --tls-cert /nonexistent/c.pem: ENOENT",
    ],
    [["extra"], "unexpected argument 'extra'"],
  ])("refuses %j with one line and a pointer to --help (exit 2)", { timeout: 60_000 }, (args, message) => {
    const run = runBin(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`reguser-server: ${message} (see reguser-server --help)\n`);
    expect(run.stdout).toBe("");
  });

  it("is `npm run server` at the repository root", { timeout: 60_000 }, () => {
    const run = spawnSync("npm", ["run", "-s", "server", "--", "--help"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: reguser-server \[options\]/);
  });

  it("says it cannot start on a port in use (exit 1)", { timeout: 60_000 }, async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const run = runBin(["--port", String(port)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^reguser-server: cannot start: .*EADDRINUSE.*\n$/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
