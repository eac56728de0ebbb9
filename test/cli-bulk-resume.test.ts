// reguser bulk interrupted with Ctrl-C, then resumed from its JSON Lines report: the built binary as a child process,
// the embedded server behind a proxy that lets its replies through only when the test says so. The interruption
// lands at a point the test chooses, not at a time: nothing here depends on the machine's speed.
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type EmbeddedServer, MemoryStore, startServer } from "@reguser/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { canLogIn } from "./support/can-log-in.js";
import { BIN, buildCli } from "./support/cli-binary.js";
import { runChild } from "./support/run-child.js";

/** Hang guards only: every wait below ends as soon as what it waits for happens. */
const WAIT_LIMIT_MS = 30_000;
const PASSWORD = "resume-test-password-1";
const ACCOUNTS = Array.from({ length: 200 }, (_, i) => `acct${String(i + 1).padStart(3, "0")}`);
const ROOT_BIN = fileURLToPath(new URL("../node_modules/.bin", import.meta.url));

/** A TCP proxy to the server that holds the server's bytes until flush() or flow(): the test paces the run. */
interface HoldingProxy {
  port: number;
  /** Let through what the server sent so far. */
  flush(): void;
  /** From now on, let everything through. */
  flow(): void;
  /** From now on, hold the server's bytes again. */
  hold(): void;
  close(): Promise<void>;
}

async function holdingProxy(upstreamPort: number): Promise<HoldingProxy> {
  let flowing = false;
  const held: Array<[Socket, Buffer]> = [];
  const sockets = new Set<Socket>();
  const flush = () => {
    for (const [client, data] of held.splice(0)) if (!client.destroyed) client.write(data);
  };
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    client.on("data", (d) => upstream.write(d));
    upstream.on("data", (d) => (flowing ? client.write(d) : held.push([client, d])));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("the proxy did not bind");
  return {
    port: address.port,
    flush,
    flow: () => {
      flowing = true;
      flush();
    },
    hold: () => {
      flowing = false;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built binary with `args`, `input` on its stdin; killed if it outlives the hang guard. */
function startCli(args: string[], input: string): Cli {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("REGUSER_")));
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr?.on("data", (d) => (stderr += d));
  const guard = setTimeout(() => child.kill("SIGKILL"), WAIT_LIMIT_MS * 2);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal });
    });
  });
  child.stdin?.end(input);
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Poll `check` (every 10 ms) until it holds; fails with `what` after the hang guard. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type Line = { reguser?: string; username?: string; ok?: boolean; summary?: Record<string, unknown> };

/** The report's complete lines, parsed (a line being written is left for the next look). */
function reportLines(path: string): Line[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  return text
    .slice(0, text.lastIndexOf("\n") + 1)
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Line);
}

const outcomes = (lines: Line[]) => lines.filter((l) => l.username !== undefined);

let server: EmbeddedServer;
let store: MemoryStore;
let proxy: HoldingProxy;
let dir: string;

beforeAll(async () => {
  buildCli();
  store = new MemoryStore();
  server = await startServer({ store });
  proxy = await holdingProxy(server.port);
  dir = mkdtempSync(join(tmpdir(), "reguser-resume-"));
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("Ctrl-C stops sending and prints the command to resume; the resumed run skips the accounts done", async () => {
  const report = join(dir, "run.jsonl");
  const out = join(dir, "accounts.csv");
  const target = [`127.0.0.1:${proxy.port}`, "--domain", server.domain];
  proxy.hold();
  const first = startCli(
    ["bulk", ...target, "--pattern", "acct{001..200}", "--password-stdin", "--out", out, "--report", report],
    `${PASSWORD}\n`,
  );

  // Replies go through a batch at a time until outcomes are in the report; then the rest stay in flight.
  await until(() => {
    proxy.flush();
    return outcomes(reportLines(report)).length >= 10;
  }, "outcomes in the report");
  first.child.kill("SIGINT");
  await until(() => first.stderr().includes("interrupted: sending stopped"), "the CLI to take the Ctrl-C");
  proxy.flow(); // the requests in flight get their replies
  const ended = await first.exited;

  expect(ended.code, first.stderr()).toBe(130);
  // Replies were held at the Ctrl-C: requests were in flight, and they were let finish.
  expect(first.stderr()).toMatch(/waiting for [1-9]\d* requests in flight/);
  expect(first.stdout()).toMatch(/^\[Bulk\] ok \d+, failed 0 in \d+\.\d s, interrupted\n$/);
  const done = outcomes(reportLines(report));
  expect(done.length).toBeGreaterThanOrEqual(10);
  expect(done.length).toBeLessThan(200);
  expect(done.every((l) => l.ok)).toBe(true);
  // Nothing was sent that the report does not have: the server holds exactly the accounts recorded.
  expect(store.usernames().sort()).toEqual(done.map((l) => l.username).sort());
  expect(first.stdout()).toContain(`ok ${done.length},`);

  const resume = `reguser bulk 127.0.0.1:${proxy.port} --domain localhost --pattern 'acct{001..200}' --password-stdin --out ${out} --resume ${report}`;
  expect(first.stderr()).toContain(`  ${resume}\n`);
  expect(first.stderr()).toContain("(with the same stdin)");

  // As if the run had been killed in the middle of writing a line.
  appendFileSync(report, '{"username":"acct2');

  // The printed command, as a user would paste it into a shell.
  const second = await runChild("bash", ["-c", resume], {
    env: { ...process.env, PATH: `${ROOT_BIN}${delimiter}${process.env.PATH}` },
    input: `${PASSWORD}\n`,
    limit: WAIT_LIMIT_MS * 2,
  });
  expect(second.code, second.stdout + second.stderr).toBe(0);
  // failed 0: none of the skipped accounts was sent again (the server would have answered 409).
  expect(second.stdout).toMatch(
    new RegExp(`^\\[Bulk\\] ok ${200 - done.length}, failed 0, skipped ${done.length} \\(ok in the report\\) in `),
  );
  expect(second.stderr).toMatch(/warning: --resume .*run\.jsonl: line \d+, the last, is cut short/);

  // Every account registered exactly once, each recorded ok exactly once, the cut-short line gone.
  expect(store.usernames().sort()).toEqual(ACCOUNTS);
  const lines = reportLines(report);
  expect(lines[0]).toMatchObject({ reguser: "bulk-report", version: 1, domain: "localhost" });
  const all = outcomes(lines);
  expect(all.map((l) => l.username).sort()).toEqual(ACCOUNTS);
  expect(all.every((l) => l.ok)).toBe(true);
  expect(lines.filter((l) => l.summary).map((l) => l.summary)).toMatchObject([
    { ok: done.length, aborted: true },
    { ok: 200 - done.length, skipped: done.length, aborted: false },
  ]);
  expect(readFileSync(report, "utf8")).not.toContain(PASSWORD);
  // --out was appended to, not started again: the first run's accounts are still in it, the header once.
  const rows = readFileSync(out, "utf8").trim().split("\n");
  expect(rows[0]).toBe("username,password");
  expect(rows.slice(1).sort()).toEqual(ACCOUNTS.map((name) => `${name},${PASSWORD}`));
  expect(first.stderr() + second.stderr + first.stdout() + second.stdout).not.toContain(PASSWORD);

  const options = { host: server.host, port: server.port, domain: server.domain, tls: "none" as const };
  expect(await canLogIn(options, "acct001", PASSWORD)).toBe(true);
  expect(await canLogIn(options, "acct200", PASSWORD)).toBe(true);
});

it("a second Ctrl-C quits at once: the report keeps every line written, and the resume command is printed", async () => {
  const report = join(dir, "twice.jsonl");
  const template = "tpl-{user}-secret";
  proxy.hold();
  const run = startCli(
    [
      "bulk",
      `127.0.0.1:${proxy.port}`,
      "--domain",
      server.domain,
      "--pattern",
      "twice{001..200}",
      "--password-template",
      template,
      "--report",
      report,
    ],
    "",
  );
  await until(() => {
    proxy.flush();
    return outcomes(reportLines(report)).length >= 5;
  }, "outcomes in the report");
  run.child.kill("SIGINT");
  await until(() => run.stderr().includes("interrupted: sending stopped"), "the CLI to take the Ctrl-C");
  run.child.kill("SIGINT");
  const ended = await run.exited;
  proxy.flow();

  expect(ended.signal).toBe("SIGINT");
  const lines = reportLines(report);
  expect(lines[0]).toMatchObject({ reguser: "bulk-report" });
  expect(outcomes(lines).length).toBeGreaterThanOrEqual(5);
  // The template is a password generator: it is not printed, a placeholder stands in for it.
  expect(run.stderr()).toContain("--password-template '<template>' --resume");
  expect(run.stderr()).not.toContain("secret");
});
