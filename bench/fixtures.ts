// What the test fixtures add to a suite, in ms per test: a benchmark, not a test.
//   npx tsx --conditions=@reguser/source bench/fixtures.ts [--tests 500] [--runs 3] [--servers prosody-fast,embedded] [--json]
//     [--out bench/RESULTS.md]   (writes its section of the results file; `npm run bench` passes it)
// A suite is a child process, `node bench/fixtures/suite.mjs`: one node:test file of `--tests` tiny tests, each with
// trivial work, timed from spawn to exit (its after hooks, so the bulk removal, included). Variants: no fixture (the
// baseline), the batched supply (@reguser/testing/node-test), and one registration and one login-and-remove per
// test (the old withXmppUser; Smack's and escalus's suites do the same). A fixture's cost is its suite's time minus
// the baseline's, over the number of tests. The server's own bulk limit is measured in this process: registerMany of
// `--tests` accounts on one stream, then removeMany of them. Runs are interleaved; medians are reported. The child
// imports the built packages (`npx tsc -b` first), as a user's suite does.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startServer as startEmbedded } from "@reguser/server";
import { openStream, registerMany, removeMany } from "reguser";
import { REPO_ROOT } from "./lib/child.js";
import { writeSection } from "./lib/results.js";
import { available, start, stopAll } from "./lib/servers.js";
import { median } from "./lib/stats.js";

const SUITE = fileURLToPath(new URL("fixtures/suite.mjs", import.meta.url));
const BUILT = fileURLToPath(new URL("../packages/testing/dist/node-test.js", import.meta.url));
const SERVERS = ["prosody-fast", "embedded"] as const;
type ServerName = (typeof SERVERS)[number];
const VARIANTS = ["none", "supply", "per-test"] as const;
type Variant = (typeof VARIANTS)[number];
const LABELS: Record<Variant | "bulk-limit", string> = {
  none: "no fixture (baseline)",
  supply: "batched supply (xmppUsers)",
  "per-test": "per test: register, log in, remove",
  "bulk-limit": "server's bulk limit: registerMany + removeMany",
};
/** A hang guard for one suite: the slowest (per-test on a busy machine) takes seconds. */
const SUITE_LIMIT_MS = 600_000;

interface Target {
  host: string;
  port: number;
  domain: string;
}

interface Row {
  server: ServerName;
  variant: Variant | "bulk-limit";
  label: string;
  /** Median wall time of a run, ms: the suite's, or the bulk limit's register + remove. */
  ms: number;
  /** `ms` over the number of tests. */
  msPerTest: number;
  /** What the fixture adds per test: `ms` minus the baseline's, over the number of tests (the bulk limit: all of it). */
  addedMsPerTest: number | undefined;
  runs: number[];
}

/** One suite run, spawn to exit, in ms; a failed suite (a test, or accounts left) throws. */
function runSuite(target: Target, variant: Variant, tests: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const env = {
      ...process.env,
      XMPP_HOST: target.host,
      XMPP_PORT: String(target.port),
      XMPP_DOMAIN: target.domain,
      BENCH_VARIANT: variant,
      BENCH_TESTS: String(tests),
    };
    const started = performance.now();
    const child = spawn(process.execPath, [SUITE], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), SUITE_LIMIT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`the ${variant} suite exited ${code}${stderr ? `:\n${stderr}` : ""}`));
    });
  });
}

/** registerMany of `tests` accounts on one stream, then removeMany of them: the ms both took. */
async function bulkLimit(target: Target, tests: number): Promise<number> {
  const accounts = Array.from({ length: tests }, (_, i) => ({
    username: `bulk${process.pid}x${Date.now().toString(36)}x${i}`,
    password: `bulk-password-${i}`,
  }));
  const stream = await openStream(target);
  const started = performance.now();
  const registered = await registerMany(stream, accounts);
  const removed = await removeMany(target, accounts);
  const ms = performance.now() - started;
  await stream.close();
  if (registered.ok !== tests || removed.ok !== tests) {
    throw new Error(`bulk limit: registered ${registered.ok}, removed ${removed.ok} of ${tests}`);
  }
  return ms;
}

async function measure(server: ServerName, target: Target, tests: number, runs: number): Promise<Row[]> {
  const times = new Map<Variant | "bulk-limit", number[]>();
  const record = (key: Variant | "bulk-limit", ms: number) => times.set(key, [...(times.get(key) ?? []), ms]);
  // A warm-up of each (the server's first accounts, the disk cache of the modules), not counted.
  for (const variant of VARIANTS) await runSuite(target, variant, Math.min(tests, 50));
  for (let run = 0; run < runs; run++) {
    for (const variant of VARIANTS) record(variant, await runSuite(target, variant, tests));
    record("bulk-limit", await bulkLimit(target, tests));
    process.stderr.write(`${server}: run ${run + 1} of ${runs} done\n`);
  }
  const baseline = median(times.get("none") ?? []);
  return [...times].map(([variant, values]) => {
    const ms = median(values);
    const added = variant === "none" ? undefined : variant === "bulk-limit" ? ms / tests : (ms - baseline) / tests;
    return {
      server,
      variant,
      label: LABELS[variant],
      ms,
      msPerTest: ms / tests,
      addedMsPerTest: added,
      runs: values.map((v) => Math.round(v)),
    };
  });
}

function table(rows: Row[], tests: number): string {
  const fmt = (v: number | undefined, digits: number) => (v === undefined ? "–" : v.toFixed(digits));
  const lines = [
    `| server | variant | suite of ${tests} tests, ms (median) | ms per test | fixture adds, ms per test |`,
    "|---|---|---:|---:|---:|",
    ...rows.map(
      (r) => `| ${r.server} | ${r.label} | ${fmt(r.ms, 0)} | ${fmt(r.msPerTest, 2)} | ${fmt(r.addedMsPerTest, 2)} |`,
    ),
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tests: { type: "string", default: "500" },
      runs: { type: "string", default: "3" },
      servers: { type: "string", default: SERVERS.join(",") },
      json: { type: "boolean", default: false },
      out: { type: "string", default: "" },
    },
  });
  const tests = Number(values.tests);
  const runs = Number(values.runs);
  if (!Number.isInteger(tests) || tests < 1 || !Number.isInteger(runs) || runs < 1) {
    throw new Error("--tests and --runs: positive integers");
  }
  const servers = values.servers.split(",").map((s) => s.trim()) as ServerName[];
  const unknown = servers.filter((s) => !SERVERS.includes(s));
  if (unknown.length) throw new Error(`--servers: unknown ${unknown.join(", ")} (known: ${SERVERS.join(", ")})`);
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: the suites import the built packages (npx tsc -b)`);
  const started = new Date();
  const rows: Row[] = [];
  for (const server of servers) {
    if (server === "embedded") {
      const embedded = await startEmbedded();
      try {
        rows.push(...(await measure(server, embedded, tests, runs)));
      } finally {
        await embedded.close();
      }
    } else if (!available(server)) {
      process.stderr.write(`${server}: skipped, Prosody is not installed\n`);
    } else {
      const prosody = await start(server);
      rows.push(
        ...(await measure(server, { host: prosody.host, port: prosody.port, domain: prosody.domain }, tests, runs)),
      );
    }
  }
  const checks = verdicts(rows);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ tests, runs, method: "node:test child process per suite", rows })}\n`);
  } else {
    process.stdout.write(`${table(rows, tests)}\n\n${checks.join("\n")}\n`);
  }
  if (values.out) {
    const path = resolve(REPO_ROOT, values.out);
    writeSection(path, "fixtures", section(rows, tests, runs, checks, started));
    process.stdout.write(`\nwritten: ${path} (fixtures section)\n`);
  }
}

/** The target: the batched supply adds at most 2 ms per test, on each server. */
const ADDED_MS_TARGET = 2;

function verdicts(rows: Row[]): string[] {
  return rows
    .filter((r) => r.variant === "supply" && r.addedMsPerTest !== undefined)
    .map((r) => {
      const added = r.addedMsPerTest as number;
      const met = added <= ADDED_MS_TARGET;
      const miss = met ? "" : `, missed by ${(added - ADDED_MS_TARGET).toFixed(2)} ms`;
      return `${met ? "PASS" : "MISS"} ${r.server}: the batched supply adds ${added.toFixed(2)} ms per test (target ≤ ${ADDED_MS_TARGET} ms${miss})`;
    });
}

function section(rows: Row[], tests: number, runs: number, checks: string[], started: Date): string {
  const minutes = (Date.now() - started.getTime()) / 60_000;
  return [
    "## Throwaway users for test suites (bench/fixtures.ts)",
    "",
    `Generated on ${started.toISOString().slice(0, 16).replace("T", " ")} UTC (${minutes.toFixed(0)} min): a node:test suite of ${tests} tiny tests per child process, spawn to exit (its after hooks, so the bulk removal, included), ${runs} runs interleaved after a warm-up, medians. What a fixture adds: its suite's time minus the baseline's, over the number of tests.`,
    "",
    table(rows, tests),
    "",
    ...checks.map((c) => `- ${c.replace(/^PASS /, "✅ ").replace(/^MISS /, "❌ ")}`),
  ].join("\n");
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
