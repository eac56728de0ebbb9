#!/usr/bin/env node
// The whole suite, several times in a row, from a clean clone, while a CPU hog keeps every core busy: proof that
// no test depends on the machine's speed.
//   npm run test:loaded                      # 3 runs in a fresh clone of HEAD (commit first: it tests what is committed)
//   npm run test:loaded -- --runs 1 --here   # this checkout as it is, once
//   npm run test:loaded -- --hogs 4          # more hog processes than cores
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    hogs: { type: "string", default: String(availableParallelism()) },
    here: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("usage: npm run test:loaded -- [--runs 3] [--hogs <cores>] [--here] [--keep]");
  console.log("  --here  run in this checkout instead of a fresh clone of HEAD; --keep  leave the clone for a look");
  process.exit(0);
}
const runs = Number(values.runs);
const hogs = Number(values.hogs);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(hogs) || hogs < 0) {
  console.error("test:loaded: --runs takes a whole number ≥ 1 and --hogs one ≥ 0 (see --help)");
  process.exit(2);
}

/** Each hog spins for at most this long, so a killed parent leaves nothing running for long. */
const HOG_LIMIT_MS = 3 * 60 * 60 * 1000;
const root = spawnSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).stdout.trim();
const started = Date.now();
const seconds = () => Math.round((Date.now() - started) / 1000);

function sh(cmd, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"], env: process.env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function startHogs() {
  const spin = `const end = Date.now() + ${HOG_LIMIT_MS}; while (Date.now() < end) {}`;
  return Array.from({ length: hogs }, () => spawn(process.execPath, ["-e", spin], { stdio: "ignore" }));
}

let dir = root;
let hogProcesses = [];
const stopHogs = () => {
  for (const hog of hogProcesses) hog.kill("SIGKILL");
  hogProcesses = [];
};
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopHogs();
    process.exit(130);
  });
}

let failed = false;
try {
  if (!values.here) {
    dir = mkdtempSync(join(tmpdir(), "reguser-loaded-"));
    console.log(`test:loaded: cloning HEAD into ${dir}`);
    if ((await sh("git", ["clone", "--quiet", root, dir], root)) !== 0) throw new Error("git clone failed");
    if ((await sh("npm", ["ci", "--no-audit", "--no-fund"], dir)) !== 0) throw new Error("npm ci failed");
  }
  hogProcesses = startHogs();
  console.log(`test:loaded: ${hogs} CPU hog(s) running; ${runs} run(s) of npm test`);
  for (let run = 1; run <= runs; run++) {
    const code = await sh("npm", ["test"], dir);
    console.log(`test:loaded: run ${run}/${runs} ${code === 0 ? "passed" : `FAILED (exit ${code})`} at ${seconds()} s`);
    if (code !== 0) {
      failed = true;
      break;
    }
  }
} catch (err) {
  console.error(`test:loaded: ${err.message}`);
  failed = true;
} finally {
  stopHogs();
  if (!values.here && !values.keep && dir !== root) rmSync(dir, { recursive: true, force: true });
}
console.log(`test:loaded: ${failed ? "failed" : `all ${runs} loaded run(s) passed`} in ${seconds()} s`);
process.exit(failed ? 1 : 0);
