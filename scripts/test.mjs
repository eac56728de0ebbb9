#!/usr/bin/env node
// Runs the whole vitest suite, then prints the plain "N passed, N failed, N skipped" line CI reads.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

// Build first: the compiled packages are what users import, and tsc is the type check.
const build = spawnSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const report = ".tmp/vitest-report.json";
mkdirSync(".tmp", { recursive: true });
rmSync(report, { force: true });
const run = spawnSync(
  "npx",
  ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
if (!existsSync(report)) {
  console.error("vitest wrote no report");
  process.exit(run.status || 1);
}
const r = JSON.parse(readFileSync(report, "utf8"));
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
if (r.numTotalTests === 0) {
  console.error("no test ran");
  process.exit(1);
}
process.exit(run.status ?? 1);
