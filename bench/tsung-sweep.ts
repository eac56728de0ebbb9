// The arrival rates tried for tsung-per-user: each rate on a fresh server, as the bench runs it, and the peak
// (the rate with the highest median users/s). raw runs alongside as the reference.
//   npx tsc -b && npx tsx bench/tsung-sweep.ts --servers prosody-fast,ejabberd \
//     --n 1000 --rates 250,500,1000,2000,4000 --runs 1
// The rates the bench uses are TSUNG_ARRIVAL_RATES in bench/lib/contenders.ts (bench/README.md lists what was found).
import { parseArgs } from "node:util";
import { runChild } from "./lib/child.js";
import { CONTENDERS, type ContenderId, TSUNG_ARRIVAL_RATES } from "./lib/contenders.js";
import { available, SERVER_IDS, type ServerId, start, stop, stopAll } from "./lib/servers.js";
import { median } from "./lib/stats.js";

const { values } = parseArgs({
  options: {
    servers: { type: "string", default: "prosody-fast,ejabberd" },
    n: { type: "string", default: "1000" },
    rates: { type: "string", default: "250,500,1000,2000,4000" },
    runs: { type: "string", default: "1" },
  },
});
const servers = (values.servers as string).split(",").filter(Boolean) as ServerId[];
const bad = servers.filter((s) => !SERVER_IDS.includes(s));
if (bad.length) throw new Error(`--servers: unknown ${bad.join(", ")}`);
const n = Number(values.n);
const rates = (values.rates as string).split(",").map(Number);
const runs = Number(values.runs);

interface Got {
  usersPerSecond: number;
  cpu: number;
  rss: number;
}

/** One run on a fresh server; undefined (and a line on stderr) when it did not register all n. */
async function once(server: ServerId, id: ContenderId, job: Record<string, unknown>, what: string) {
  const s = await start(server);
  try {
    const contender = { id, ...CONTENDERS[id] };
    const full = { host: s.host, port: s.port, domain: s.domain, n, deadlineMs: 270_000, ...contender.job, ...job };
    const result = await runChild(contender, full as Parameters<typeof runChild>[1], undefined);
    if (!result.ok) return void process.stderr.write(`${server} ${what}: ${result.error}\n`);
    const m = result.measurement;
    if (m.ok !== n) return void process.stderr.write(`${server} ${what}: ${m.ok}/${n} registered (${m.note})\n`);
    process.stderr.write(`${server} ${what}: ${Math.round(n / m.seconds)} users/s${m.note ? ` (${m.note})` : ""}\n`);
    return { usersPerSecond: n / m.seconds, cpu: (m.cpuSeconds / n) * 1000, rss: m.maxRssKb / 1024 };
  } finally {
    await stop(s);
  }
}

async function main(): Promise<void> {
  let counter = 0;
  const lines = [
    "| server | N | arrival rate /s | users/s (median) | runs | CPU s / 1000 | RSS MiB |",
    "| --- | --: | --: | --: | --: | --: | --: |",
  ];
  for (const server of servers) {
    if (!available(server)) {
      process.stderr.write(`${server}: not installed, skipped\n`);
      continue;
    }
    // Interleaved as the bench does it (every rate once, then again…), raw first each time: the server's limit
    // at that moment, so that a slow round shows as such.
    const got = new Map<string, Got[]>();
    const keys = ["raw", ...rates.map(String)];
    for (let r = 1; r <= runs; r++) {
      for (const key of keys) {
        const prefix = `sw${process.pid}x${++counter}x`;
        const g =
          key === "raw"
            ? await once(server, "raw", { prefix }, `raw (run ${r})`)
            : await once(server, "tsung-per-user", { prefix, arrivalRate: Number(key) }, `${key}/s (run ${r})`);
        if (g) got.set(key, [...(got.get(key) ?? []), g]);
      }
    }
    let best: { key: string; usersPerSecond: number } | undefined;
    for (const key of keys) {
      const list = got.get(key) ?? [];
      if (!list.length) {
        lines.push(`| ${server} | ${n} | ${key} | – | 0 | | |`);
        continue;
      }
      const usersPerSecond = median(list.map((g) => g.usersPerSecond));
      if (key !== "raw" && (!best || usersPerSecond > best.usersPerSecond)) best = { key, usersPerSecond };
      const cpu = median(list.map((g) => g.cpu)).toFixed(3);
      const rss = median(list.map((g) => g.rss)).toFixed(1);
      const label = key === "raw" ? "raw (the server's limit)" : key;
      lines.push(`| ${server} | ${n} | ${label} | ${Math.round(usersPerSecond)} | ${list.length} | ${cpu} | ${rss} |`);
    }
    if (best) lines.push(`| ${server} | ${n} | **peak: ${best.key}** | **${Math.round(best.usersPerSecond)}** | | | |`);
  }
  process.stdout.write(
    `${lines.join("\n")}\n\nthe bench uses ${JSON.stringify(TSUNG_ARRIVAL_RATES)} (TSUNG_ARRIVAL_RATES in bench/lib/contenders.ts)\n`,
  );
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`sweep failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  })
  .finally(() => stopAll());
