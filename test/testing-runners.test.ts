// The user-supply fixtures for vitest, node:test and Jest, run the way their users run them: each example file as a
// child process against this suite's embedded server, then files made here whose tests fail, time out, delete their
// account or change its password behind the fixture's back. Afterwards the server's store says what is left.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Account, type EmbeddedServer, MemoryStore, startServer } from "@reguser/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Run, runChild } from "./support/run-child.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WORK = join(ROOT, ".tmp", "testing-runners");
const JEST = join(ROOT, "node_modules", "jest", "bin", "jest.js");
const VITEST = join(ROOT, "node_modules", ".bin", "vitest");
/** Hang guards: a child takes a few seconds (one of its tests waits 3 s for its timeout). */
const CHILD_LIMIT_MS = 150_000;
const TEST_LIMIT_MS = 200_000;

/** A store that remembers every account ever created in it, so "none left" also shows some were made. */
class CountingStore extends MemoryStore {
  readonly created = new Set<string>();
  override put(account: Account): void {
    this.created.add(account.username);
    super.put(account);
  }
}

let server: EmbeddedServer;
let store: CountingStore;
afterEach(async () => {
  await server?.close();
});

async function freshServer(): Promise<void> {
  store = new CountingStore();
  server = await startServer({ store });
}

beforeAll(() => {
  // The child processes import the built packages, as users do: `npm test` builds them first.
  for (const entry of ["vitest", "node-test", "jest"]) {
    const built = join(ROOT, "packages", "testing", "dist", `${entry}.js`);
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npx tsc -b\` first`);
  }
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
});
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

type RunnerName = "vitest" | "node:test" | "jest";

/** How each runner is started on one file, from `cwd` (Jest's root there too: it looks up from nowhere else). */
function command(runner: RunnerName, file: string, cwd: string): { command: string; args: string[] } {
  if (runner === "node:test") return { command: process.execPath, args: ["--test", file] };
  if (runner === "jest") {
    const args = ["--experimental-vm-modules", JEST, "--rootDir", cwd, "--runTestsByPath", file];
    return { command: process.execPath, args };
  }
  return { command: VITEST, args: ["run", file] };
}

async function run(runner: RunnerName, file: string, cwd: string): Promise<Run & { output: string }> {
  const { command: cmd, args } = command(runner, file, cwd);
  const env: NodeJS.ProcessEnv = { ...process.env, XMPP_PORT: String(server.port), NO_COLOR: "1", FORCE_COLOR: "0" };
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  const result = await runChild(cmd, args, { cwd, env, limit: CHILD_LIMIT_MS });
  return { ...result, output: `${result.stdout}\n${result.stderr}` };
}

/** What the server holds after a run, and how many accounts were made in it. */
function serverState() {
  return { created: store.created.size, left: server.users.usernames() };
}

describe.each([
  ["vitest", "examples/throwaway-users.test.ts", /Tests {2}4 passed \(4\)/],
  ["node:test", "examples/throwaway-users.node-test.mjs", /# pass 3\n# fail 0/],
  ["jest", "examples/throwaway-users.jest.test.mjs", /Tests: {7}3 passed, 3 total/],
] as const)("%s: %s", (runner, file, passed) => {
  it(
    "passes as written, and leaves no account on the server",
    async () => {
      await freshServer();
      const result = await run(runner, file, ROOT);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(passed);
      const { created, left } = serverState();
      expect(created).toBeGreaterThanOrEqual(4);
      expect(left).toEqual([]);
    },
    TEST_LIMIT_MS,
  );
});

// The made-up files: the same four tests in each runner's words.
const PREAMBLE = `
import { authenticate, changePassword, openStream, removeAccount } from "reguser";
import { writeFileSync } from "node:fs";
const connect = () => ({ host: "127.0.0.1", port: Number(process.env.XMPP_PORT), domain: "localhost" });
async function asUser(user, step) {
  const stream = await openStream(connect());
  try {
    await authenticate(stream, { username: user.username, password: user.password, resource: "test" });
    await step(stream);
  } finally {
    await stream.close();
  }
}
`;
/** The password the "changed" test sets: it must not show in any report. */
const NEW_PASSWORD = "changed-behind-the-fixtures-back-7";

const bodies = {
  passes: `expect(user.username).toMatch(/^rt[0-9a-f]{12}$/);`,
  fails: `throw new Error("this test fails on purpose");`,
  timesOut: `await new Promise(() => {});`,
  deletes: `await asUser(user, (s) => removeAccount(s));`,
  changes:
    `writeFileSync("changed.json", JSON.stringify({ username: user.username, password: user.password }));\n` +
    `    await asUser(user, (s) => changePassword(s, { username: user.username, password: "${NEW_PASSWORD}" }));`,
} as const;
type Body = keyof typeof bodies;

/** The test that times out does so after 3 s; the others have a limit that only guards against a hang. */
const timeout = (body: Body) => (body === "timesOut" ? 3000 : 60_000);

/** A test file for `runner` with one test per body, each taking one user first. */
function testFile(runner: RunnerName, tests: readonly Body[]): string {
  const options = `{ host: "127.0.0.1", port: Number(process.env.XMPP_PORT), domain: "localhost", prefix: "rt" }`;
  if (runner === "vitest") {
    return `import { withXmppUser } from "@reguser/testing/vitest";
import { expect } from "vitest";
${PREAMBLE}
const test = withXmppUser(() => (${options}));
${tests.map((t) => `test("${t}", { timeout: ${timeout(t)} }, async ({ xmppUser: user }) => {\n    ${bodies[t]}\n});`).join("\n")}
`;
  }
  if (runner === "jest") {
    return `import { afterAll, expect, test } from "@jest/globals";
import { xmppUsers } from "@reguser/testing/jest";
${PREAMBLE}
const users = xmppUsers(() => (${options}), { afterAll });
${tests.map((t) => `test("${t}", async () => {\n    const user = await users.take();\n    ${bodies[t]}\n}, ${timeout(t)});`).join("\n")}
`;
  }
  return `import assert from "node:assert/strict";
import { test } from "node:test";
import { xmppUsers } from "@reguser/testing/node-test";
${PREAMBLE}
const expect = (value) => ({ toMatch: (re) => assert.match(value, re) });
const users = xmppUsers(() => (${options}));
${tests.map((t) => `test("${t}", { timeout: ${timeout(t)} }, async () => {\n    const user = await users.take();\n    ${bodies[t]}\n});`).join("\n")}
`;
}

const FILE_NAMES: Record<RunnerName, string> = {
  vitest: "made-up.test.mjs",
  "node:test": "made-up.test.mjs",
  jest: "made-up.test.mjs",
};

function writeCase(runner: RunnerName, name: string, tests: readonly Body[]): string {
  const dir = join(WORK, `${runner.replace(":", "-")}-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, FILE_NAMES[runner]), testFile(runner, tests));
  if (runner === "vitest") {
    writeFileSync(join(dir, "vitest.config.mjs"), `export default { test: { include: ["*.test.mjs"] } };\n`);
  }
  return dir;
}

/** How each runner says that a test failed and one timed out. */
const FAILED_AND_TIMED_OUT: Record<RunnerName, RegExp[]> = {
  vitest: [/this test fails on purpose/, /Test timed out in 3000ms/, /2 failed \| 2 passed/],
  "node:test": [/this test fails on purpose/, /test timed out after 3000ms/, /# pass 2\n# fail 1\n# cancelled 1/],
  jest: [/this test fails on purpose/, /Exceeded timeout of 3000 ms/, /2 failed, 2 passed, 4 total/],
};

/** How each runner shows the removal's report: a failed file, hook or suite. */
const REPORTED: Record<RunnerName, RegExp> = {
  vitest: /FAIL {2}made-up\.test\.mjs[\s\S]*AccountsLeftError: 1 throwaway account could not be removed/,
  "node:test": /# AccountsLeftError: 1 throwaway account could not be removed[\s\S]*# fail 1/,
  jest: /Test suite failed to run[\s\S]*1 throwaway account could not be removed/,
};

describe.each(["vitest", "node:test", "jest"] as const)("%s fixtures", (runner) => {
  it(
    "remove every account when tests fail, time out or delete their own, and report nothing left",
    async () => {
      await freshServer();
      const dir = writeCase(runner, "failing", ["passes", "fails", "timesOut", "deletes"]);
      const result = await run(runner, FILE_NAMES[runner], dir);
      expect(result.code, result.output).not.toBe(0);
      for (const said of FAILED_AND_TIMED_OUT[runner]) expect(result.output).toMatch(said);
      expect(result.output).not.toContain("AccountsLeftError");
      const { created, left } = serverState();
      expect(created).toBeGreaterThanOrEqual(4);
      expect(left).toEqual([]);
    },
    TEST_LIMIT_MS,
  );

  it(
    "fail the run with a report naming an account they could not remove, without its passwords",
    async () => {
      await freshServer();
      const dir = writeCase(runner, "changed", ["passes", "changes"]);
      const result = await run(runner, FILE_NAMES[runner], dir);
      expect(result.code, result.output).not.toBe(0);
      expect(result.output).toMatch(REPORTED[runner]);
      const changed = JSON.parse(readFileSync(join(dir, "changed.json"), "utf8")) as Account & { password: string };
      expect(result.output).toContain(`${changed.username}@localhost: could not log in to remove it (not-authorized)`);
      expect(result.output).not.toContain(changed.password);
      expect(result.output).not.toContain(NEW_PASSWORD);
      // Every other account went; that one is still there.
      const { created, left } = serverState();
      expect(created).toBeGreaterThanOrEqual(2);
      expect(left).toEqual([changed.username]);
    },
    TEST_LIMIT_MS,
  );
});
