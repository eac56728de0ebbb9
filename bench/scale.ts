// A million accounts on one stream, then their removal in admin batches: a benchmark, not a test.
//   npx tsc -b && npx tsx bench/scale.ts [--n 1000000] [--slice 100000] [--probe 3000] [--no-remove] [--json FILE]
//     [--out bench/RESULTS.md]   (writes its section of the results file; `npm run bench` passes it)
// Fast Prosody (memory storage, as the suite starts it) with one admin. The client (bench/contenders/reguser-scale.ts,
// built dist/) runs registerMany over a generator with keepOutcomes: false and pauses at 10,000 and at every slice;
// during each pause the raw script registers --probe accounts on its own socket against the same server, so a
// slice that slows down with the raw rate is the server filling up, and one that slows alone is the client. RSS is
// the client's: its peak at the end against its peak at 10,000. Then removeMany({ admin }) removes everything
// through XEP-0133 delete-user in batches, timed per slice too.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { xep0133Provisioner } from "@reguser/admin";
import { removeMany } from "reguser";
import type { Checkpoint, ScaleJob } from "./contenders/reguser-scale.js";
import { REPO_ROOT, runChild } from "./lib/child.js";
import { CONTENDERS } from "./lib/contenders.js";
import { writeSection } from "./lib/results.js";
import { start, stopAll } from "./lib/servers.js";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "1000000" },
    slice: { type: "string", default: "100000" },
    probe: { type: "string", default: "3000" },
    "no-remove": { type: "boolean", default: false },
    json: { type: "string" },
    out: { type: "string", default: "" },
  },
});
const n = Number(values.n);
const slice = Number(values.slice);
const probe = Number(values.probe);
const EARLY = Math.min(10_000, slice);
const CHILD = fileURLToPath(new URL("contenders/reguser-scale.ts", import.meta.url));
const ADMIN = { username: "boss", password: "boss-password-1" };
/** A hang guard for the whole registration: a million at a few hundred per second still fits. */
const DEADLINE_MS = 3 * 3600_000;

const log = (text: string) => process.stderr.write(`${text}\n`);

interface SliceRow {
  upTo: number;
  accounts: number;
  seconds: number;
  cpuSeconds: number;
  rssKb: number;
  maxRssKb: number;
  heapUsedKb: number;
  /** The raw script's rate right after this slice, on the same server. */
  rawRate: number | undefined;
}

async function rawProbe(
  target: { host: string; port: number; domain: string },
  k: number,
): Promise<number | undefined> {
  const contender = { id: "raw" as const, ...CONTENDERS.raw };
  const result = await runChild(contender, { ...target, n: probe, prefix: `raw${k}x`, deadlineMs: 300_000 }, undefined);
  if (!result.ok || result.measurement.ok !== probe) {
    log(`  raw probe ${k}: ${result.ok ? `${result.measurement.ok}/${probe} registered` : result.error}`);
    return undefined;
  }
  return probe / result.measurement.seconds;
}

async function register(target: { host: string; port: number; domain: string }): Promise<SliceRow[]> {
  const checkpoints = [EARLY, ...Array.from({ length: Math.ceil(n / slice) }, (_, i) => (i + 1) * slice)].filter(
    (c, i, all) => c < n && all.indexOf(c) === i,
  );
  const job: ScaleJob = { ...target, n, prefix: "s", deadlineMs: DEADLINE_MS, checkpoints };
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(job)], {
    cwd: REPO_ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), DEADLINE_MS);
  const rows: SliceRow[] = [];
  let last: Checkpoint = { done: 0, ok: 0, failed: 0, seconds: 0, cpuSeconds: 0 } as Checkpoint;
  let probeCount = 0;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const point = JSON.parse(line) as Checkpoint & { final?: boolean; error?: string; renewedStreams?: number };
      if (point.failed) log(`  failures so far: ${JSON.stringify(point.byError)}`);
      if (point.renewedStreams) log(`  streams the server ended and registerMany replaced: ${point.renewedStreams}`);
      if (point.error) log(`  stream error: ${point.error}`);
      const rawRate = point.final ? undefined : await rawProbe(target, ++probeCount);
      const row: SliceRow = {
        upTo: point.done,
        accounts: point.done - last.done,
        seconds: point.seconds - last.seconds,
        cpuSeconds: point.cpuSeconds - last.cpuSeconds,
        rssKb: point.rssKb,
        maxRssKb: point.maxRssKb,
        heapUsedKb: point.heapUsedKb,
        rawRate,
      };
      rows.push(row);
      log(
        `  ${row.upTo.toLocaleString("en")}: ${Math.round(row.accounts / row.seconds)}/s, ` +
          `${((row.cpuSeconds / row.accounts) * 1000).toFixed(3)} s CPU/1000, peak RSS ${Math.round(row.maxRssKb / 1024)} MiB` +
          (rawRate ? `; raw now ${Math.round(rawRate)}/s` : ""),
      );
      last = point;
      if (point.final) break;
      child.stdin.write("go\n");
    }
  } finally {
    clearTimeout(killer);
    child.stdin.end();
  }
  if (last.done !== n || last.failed !== 0) {
    throw new Error(`registered ${last.ok} of ${n}, ${last.failed} failed: ${JSON.stringify(last.byError)}`);
  }
  return rows;
}

interface RemovalRow {
  upTo: number;
  /** Seconds the slice took. */
  seconds: number;
}

async function remove(target: { host: string; port: number; domain: string }): Promise<RemovalRow[]> {
  const admin = xep0133Provisioner({ connect: target, admin: ADMIN });
  const rows: RemovalRow[] = [];
  const t0 = performance.now();
  let lastAt = t0;
  let lastDone = 0;
  try {
    function* names() {
      for (let i = 0; i < n; i++) yield `s${i}`;
    }
    const report = await removeMany(target, names(), {
      admin,
      keepOutcomes: false,
      onProgress: ({ done }) => {
        if (done < lastDone + slice && done !== n) return;
        const now = performance.now();
        rows.push({ upTo: done, seconds: (now - lastAt) / 1000 });
        log(`  removed ${done.toLocaleString("en")}: ${Math.round((done - lastDone) / ((now - lastAt) / 1000))}/s`);
        lastAt = now;
        lastDone = done;
      },
    });
    if (report.ok !== n) {
      throw new Error(`removed ${report.ok} of ${n}: ${JSON.stringify(report.byError)} ${report.adminError ?? ""}`);
    }
  } finally {
    await admin.close();
  }
  return rows;
}

function table(rows: SliceRow[]): string {
  const out = [
    "| accounts so far | in slice | reguser /s | raw /s (same fill) | reguser / raw | client CPU s / 1000 | RSS MiB | peak RSS MiB | heap MiB |",
    "| --: | --: | --: | --: | --: | --: | --: | --: | --: |",
  ];
  const mib = (kb: number) => (kb / 1024).toFixed(1);
  for (const r of rows) {
    const rate = r.accounts / r.seconds;
    out.push(
      `| ${r.upTo.toLocaleString("en")} | ${r.accounts.toLocaleString("en")} | ${Math.round(rate)} | ` +
        `${r.rawRate ? Math.round(r.rawRate) : "–"} | ${r.rawRate ? `${Math.round((rate / r.rawRate) * 100)} %` : "–"} | ` +
        `${((r.cpuSeconds / r.accounts) * 1000).toFixed(3)} | ${mib(r.rssKb)} | ${mib(r.maxRssKb)} | ${mib(r.heapUsedKb)} |`,
    );
  }
  return out.join("\n");
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const server = await start("prosody-fast", { admins: [ADMIN] });
  const target = { host: server.host, port: server.port, domain: server.domain };
  log(
    `scale: ${n.toLocaleString("en")} accounts on one stream against fast Prosody, slices of ${slice.toLocaleString("en")}`,
  );
  const started = performance.now();
  const rows = await register(target);
  const registerSeconds = (performance.now() - started) / 1000;
  const early = rows.find((r) => r.upTo === EARLY);
  const end = rows.at(-1) as SliceRow;
  const ratio = early ? end.maxRssKb / early.maxRssKb : undefined;
  const lines = [
    table(rows),
    "",
    `registered ${n.toLocaleString("en")}, 0 failed; wall ${registerSeconds.toFixed(0)} s with the raw probes`,
    ratio === undefined
      ? "peak RSS ratio: no checkpoint at 10,000"
      : `${ratio <= 1.2 ? "PASS" : "MISS"} client peak RSS at ${n.toLocaleString("en")} is ${ratio.toFixed(2)}× its peak at ${EARLY.toLocaleString("en")} (target ≤ 1.2×)`,
  ];
  let removal: RemovalRow[] = [];
  if (!values["no-remove"]) {
    const t0 = performance.now();
    removal = await remove(target);
    const seconds = (performance.now() - t0) / 1000;
    lines.push(
      `removed ${n.toLocaleString("en")} through XEP-0133 delete-user batches in ${seconds.toFixed(0)} s (${Math.round(n / seconds)}/s)`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ n, slice, probe, rows, removal }, null, 1)}\n`);
  if (values.out) {
    const path = resolve(REPO_ROOT, values.out);
    const minutes = (Date.now() - startedAt.getTime()) / 60_000;
    const [verdictLine, ...rest] = lines.slice(2);
    writeSection(
      path,
      "scale",
      [
        `## ${n.toLocaleString("en")} accounts on one stream (bench/scale.ts)`,
        "",
        `Generated on ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC (${minutes.toFixed(0)} min): fast Prosody (memory storage), registerMany over a generator with \`keepOutcomes: false\`, paused at ${EARLY.toLocaleString("en")} and every ${slice.toLocaleString("en")} while the raw script registers ${probe.toLocaleString("en")} accounts on its own socket (the server's rate at the same fill). Then removeMany with the XEP-0133 admin path, in delete-user batches.`,
        "",
        table(rows),
        "",
        ...[verdictLine, ...rest].map((l) => `- ${(l ?? "").replace(/^PASS /, "✅ ").replace(/^MISS /, "❌ ")}`),
        ...(removal.length ? ["", removalTable(removal)] : []),
      ].join("\n"),
    );
    process.stdout.write(`\nwritten: ${path} (scale section)\n`);
  }
}

function removalTable(rows: RemovalRow[]): string {
  const out = ["| removed so far | removals /s in the slice |", "| --: | --: |"];
  let lastUpTo = 0;
  for (const r of rows) {
    out.push(`| ${r.upTo.toLocaleString("en")} | ${Math.round((r.upTo - lastUpTo) / r.seconds)} |`);
    lastUpTo = r.upTo;
  }
  return out.join("\n");
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`scale failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
