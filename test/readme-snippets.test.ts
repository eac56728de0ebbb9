// Every ts/js/sh block of README.md and packages/*/README.md runs as written: its own process, against a fresh
// embedded server on 127.0.0.1:5222 (or the real server its marker names), within a limit that only guards
// against a hang. Blocks that are not programs say so with a marker (test/support/snippets.ts).

import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type EmbeddedServer, startServer } from "@reguser/server";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningServer, serverBinaryAvailable, startServer as startRealServer } from "./servers/index.js";
import { serversRequired } from "./support/describe-target.js";
import { runChild } from "./support/run-child.js";
import { readmeFiles, readSnippets, type Snippet, snippetName } from "./support/snippets.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");
const WORK = join(ROOT, ".tmp", "snippets");
/** The port and domain the snippets name. No other test uses 5222: the harness picks ephemeral ports. */
const PORT = 5222;
/** Its WebSocket endpoint's port, ws://127.0.0.1:5280/xmpp-websocket (Prosody's and ejabberd's usual one). */
const WEBSOCKET_PORT = 5280;
/** A hang guard: the slowest snippet takes a few seconds; a snippet that never closes its stream hangs. */
const SNIPPET_LIMIT_MS = 90_000;
/** The admin the prosody snippets name (its password reaches them as XMPP_ADMIN_PASSWORD). */
const ADMIN = { username: "boss", password: "the-admins-own-password" };

/** examples/*.ts and packages/<name>/examples/*.ts: programs users copy, run with no arguments. */
const examples = [
  ...readdirSync(join(ROOT, "examples")).map((f) => `examples/${f}`),
  ...readdirSync(join(ROOT, "packages")).flatMap((p) =>
    existsSync(join(ROOT, "packages", p, "examples"))
      ? readdirSync(join(ROOT, "packages", p, "examples")).map((f) => `packages/${p}/examples/${f}`)
      : [],
  ),
].filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

const snippets = readmeFiles(ROOT).flatMap((file) => readSnippets(ROOT, file));
const runnable = snippets.filter((s) => s.noRun === undefined && s.runBy === undefined);

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

interface Fixture {
  env: Record<string, string>;
  stop(): Promise<void>;
}

async function startFixture(s: Pick<Snippet, "server" | "lang">): Promise<Fixture> {
  if (s.server === "none") return { env: {}, stop: async () => {} };
  if (s.server === "prosody") {
    const prosody: RunningServer = await startRealServer("prosody", { port: PORT, admins: [ADMIN] });
    return { env: { XMPP_ADMIN_PASSWORD: ADMIN.password }, stop: () => prosody.stop() };
  }
  if (s.lang === "sh") return startServerCommand();
  // Unauthenticated streams stay open for ten minutes: a snippet that forgets to close one hangs and fails here.
  const server: EmbeddedServer = await startServer({
    host: "127.0.0.1",
    port: PORT,
    webSocketPort: WEBSOCKET_PORT,
    authTimeout: 600_000,
  });
  return { env: {}, stop: () => server.close() };
}

/** Shell snippets run as a reader would: after `npm run server` (the `reguser-server` command) in another terminal. */
async function startServerCommand(): Promise<Fixture> {
  const args = ["--port", String(PORT), "--websocket-port", String(WEBSOCKET_PORT), "--auth-timeout", "600000"];
  const child = spawn(join(BIN, "reguser-server"), args, {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d) => {
      output += d;
      if (output.includes("listening on 127.0.0.1:5222")) resolve();
    });
    child.stderr.on("data", (d) => (output += d));
    child.once("exit", (code) => reject(new Error(`reguser-server exited ${code} before listening:\n${output}`)));
  });
  await listening;
  return {
    env: {},
    async stop() {
      const exited = once(child, "exit");
      child.kill("SIGINT");
      const [code] = await exited;
      // Ctrl-C closes it cleanly: exit 0.
      expect(code, `reguser-server after SIGINT:\n${output}`).toBe(0);
    },
  };
}

/** Write the snippet where Node resolves the workspace's packages (their built `dist/`, as a user gets them). */
function writeSnippet(s: Snippet): { command: string; args: string[]; cwd: string } {
  const cwd = join(WORK, snippetName(s));
  mkdirSync(cwd, { recursive: true });
  if (s.lang === "sh") {
    writeFileSync(join(cwd, "snippet.sh"), `${s.code}\n`);
    return { command: "bash", args: ["-e", "snippet.sh"], cwd };
  }
  if (s.runner === "vitest") {
    writeFileSync(join(cwd, "snippet.test.ts"), `${s.code}\n`);
    writeFileSync(join(cwd, "vitest.config.mjs"), `export default { test: { include: ["snippet.test.ts"] } };\n`);
    return { command: join(BIN, "vitest"), args: ["run", "--root", cwd], cwd };
  }
  const file = `snippet.${s.lang === "ts" ? "ts" : "mjs"}`;
  writeFileSync(join(cwd, file), `${s.code}\n`);
  return { command: join(BIN, "tsx"), args: [file], cwd };
}

const serverMissing = (s: Snippet) =>
  s.server === "prosody" && !serverBinaryAvailable("prosody") ? "Prosody is not installed" : undefined;

describe("README snippets", () => {
  it("are found, and every one that does not run says why", () => {
    expect(runnable.length).toBeGreaterThan(15);
    for (const s of snippets) {
      if (s.noRun !== undefined) expect(s.noRun.length, `${s.file}:${s.line} no-run needs a reason`).toBeGreaterThan(8);
      if (s.runBy !== undefined) {
        const by = join(ROOT, s.runBy);
        expect(existsSync(by), `${s.file}:${s.line} run-by ${s.runBy} does not exist`).toBe(true);
        expect(readFileSync(by, "utf8"), `${s.runBy} must read the README it runs`).toContain("README.md");
      }
    }
  });

  it.each(runnable.map((s) => [`${s.file}:${s.line}`, s] as const))("%s runs as written", async (_, s) => {
    const missing = serverMissing(s);
    if (missing) {
      if (serversRequired) throw new Error(`${missing} (REGUSER_REQUIRE_SERVERS=1)`);
      console.warn(`\n*** NOT RUN: ${s.file}:${s.line}: ${missing}. CI sets REGUSER_REQUIRE_SERVERS=1. ***\n`);
      return;
    }
    const fixture = await startFixture(s);
    try {
      const { command, args, cwd } = writeSnippet(s);
      const run = await runChild(command, args, {
        cwd,
        env: { ...process.env, ...fixture.env, PATH: `${BIN}${delimiter}${process.env.PATH}` },
        limit: SNIPPET_LIMIT_MS,
      });
      const output = `${run.stdout}\n${run.stderr}`;
      expect(
        run.code,
        `${s.file}:${s.line} exited ${run.code} (null: killed after ${SNIPPET_LIMIT_MS} ms)\n${output}`,
      ).toBe(0);
      for (const text of s.expect) expect(output, `${s.file}:${s.line}`).toContain(text);
    } finally {
      await fixture.stop();
    }
  });

  it("type-check as written (strict)", async () => {
    const dir = join(WORK, "typecheck");
    mkdirSync(dir, { recursive: true });
    const files = runnable.filter((s) => s.lang === "ts").map((s) => `${snippetName(s)}.ts`);
    for (const s of runnable.filter((s) => s.lang === "ts"))
      writeFileSync(join(dir, `${snippetName(s)}.ts`), `${s.code}\n`);
    const tsconfig = {
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2023"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
      },
      files,
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    const run = await runChild(join(BIN, "tsc"), ["-p", join(dir, "tsconfig.json")], {
      cwd: dir,
      limit: SNIPPET_LIMIT_MS,
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });
});

describe("examples run with no arguments", () => {
  it.each(examples)("%s works against 127.0.0.1:5222, or prints a usage line", async (file) => {
    const fixture = await startFixture({ server: "embedded", lang: "ts" });
    try {
      const run = await runChild(join(BIN, "tsx"), [file], { cwd: ROOT, limit: SNIPPET_LIMIT_MS });
      const output = `${run.stdout}\n${run.stderr}`;
      if (run.code === 2) expect(output, file).toMatch(/^usage: /m);
      else expect(run.code, `${file} exited ${run.code}\n${output}`).toBe(0);
    } finally {
      await fixture.stop();
    }
  });
});
