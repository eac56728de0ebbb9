// npm run bench: register N users with each contender on fresh servers, print the table, write bench/RESULTS.md.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type BenchConfig, readConfig } from "./lib/args.js";
import { REPO_ROOT } from "./lib/child.js";
import { describeMachine, type Machine } from "./lib/machine.js";
import { runMatrix } from "./lib/matrix.js";
import { findPython } from "./lib/python.js";
import { renderResults, writeResults } from "./lib/results.js";
import { stopAll } from "./lib/servers.js";
import type { Cell } from "./lib/stats.js";
import { renderTable } from "./lib/table.js";
import { verdicts } from "./lib/targets.js";

/** A run's figures, saved next to RESULTS.md (`--from` renders them again). */
interface SavedRun {
  config: BenchConfig;
  machine: Machine;
  started: string;
  minutes: number;
  cells: Cell[];
  notes: string[];
}

async function main(): Promise<number> {
  const config = readConfig(process.argv.slice(2), process.env);
  if (!config) return 0;
  const started = new Date();
  const python = findPython(process.env);
  const notes: string[] = [];
  if (!python)
    notes.push("slixmpp contenders skipped: no python3 can import slixmpp (apt-get install -y python3-slixmpp)");
  const machine = describeMachine(python);
  process.stderr.write(`bench: N=${config.sizes.join(",")} runs=${config.runs} servers=${config.servers.join(",")}\n`);

  // --from FILE re-renders a saved run (the figures written next to RESULTS.md) without measuring again.
  const saved = config.from
    ? (JSON.parse(readFileSync(resolve(REPO_ROOT, config.from), "utf8")) as SavedRun)
    : undefined;
  if (saved) Object.assign(config, { ...saved.config, out: config.out, from: config.from });
  const result = saved ? { cells: saved.cells, notes: saved.notes } : await runMatrix(config, python);
  notes.push(...result.notes);
  for (const cell of result.cells)
    if (cell.problems.length) notes.push(`${cell.server} N=${cell.n} ${cell.label}: ${cell.problems.join("; ")}`);

  const table = renderTable(result.cells);
  const checks = verdicts(result.cells);
  const minutes = (Date.now() - started.getTime()) / 60_000;
  process.stdout.write(`\n${table}\n\n${checks.map((v) => `${v.met ? "PASS" : "MISS"} ${v.text}`).join("\n")}\n`);
  if (notes.length) process.stdout.write(`\n${notes.join("\n")}\n`);
  if (config.out) {
    const path = resolve(REPO_ROOT, config.out);
    const run: SavedRun = saved ?? {
      config,
      machine,
      started: started.toISOString(),
      minutes,
      cells: result.cells,
      notes: result.notes,
    };
    const input = { config, machine: run.machine, started: new Date(run.started), minutes: run.minutes };
    writeResults(path, renderResults({ ...input, table, verdicts: checks, notes }));
    if (!saved) writeFileSync(path.replace(/\.md$/, ".json"), `${JSON.stringify(run, null, 1)}\n`);
    process.stdout.write(`\nwritten: ${path}\n`);
  }
  return result.cells.some((c) => c.problems.length) ? 1 : 0;
}

let exiting = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (exiting) return;
    exiting = true;
    process.stderr.write(`\n${signal}: stopping servers\n`);
    void stopAll().finally(() => process.exit(130));
  });
}

main()
  .then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  )
  .finally(() => stopAll());
