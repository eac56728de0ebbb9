// The run itself: every server × N × contender, each run in its own child against a fresh server.
import { DEFAULT_CONCURRENCY } from "reguser";
import type { BenchConfig } from "./args.js";
import { runChild } from "./child.js";
import { type ContenderId, missing, type Variant, variant } from "./contenders.js";
import type { Python } from "./python.js";
import { available, clientBound, oneAtATime, type ServerId, start, stop } from "./servers.js";
import { type Cell, median, summarize } from "./stats.js";

export interface MatrixResult {
  cells: Cell[];
  notes: string[];
}

const ONE_CONNECTION_DEADLINE_MS = 300_000;

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** registerMany's settings with the highest median rate so far on `server` at `n`. */
export function bestConcurrency(cells: Cell[], server: string, n: number): number | undefined {
  let best: { c: number; rate: number } | undefined;
  for (const cell of cells) {
    if (cell.server !== server || cell.n !== n || !/^reguser-many(@\d+)?$/.test(cell.key)) continue;
    const rate = summarize(cell)?.rate;
    const c = cell.key.includes("@") ? Number(cell.key.split("@")[1]) : DEFAULT_CONCURRENCY;
    if (rate !== undefined && (!best || rate > best.rate)) best = { c, rate };
  }
  return best?.c;
}

function variantsFor(config: BenchConfig, server: ServerId, n: number, cells: Cell[], python?: Python): Variant[] {
  const wanted = (id: ContenderId) => config.contenders.includes(id);
  const out: Variant[] = [];
  if (oneAtATime(server)) {
    // Pipelining loses replies here: its limit is one at a time, which registerMany falls back to by itself; the
    // other contenders pipeline (and hang) or take a connection per account.
    if (wanted("raw-one") || wanted("raw")) out.push(variant("raw-one"));
    if (wanted("reguser-many")) out.push(variant("reguser-many"), variant("reguser-many", 1));
    return out;
  }
  if (wanted("raw")) out.push(variant("raw"));
  if (wanted("reguser-many")) {
    out.push(variant("reguser-many"));
    const extra = clientBound(server)
      ? config.sweep
      : [bestConcurrency(cells, "prosody-fast", n)].filter((c): c is number => c !== undefined);
    for (const c of extra) if (c !== DEFAULT_CONCURRENCY) out.push(variant("reguser-many", c));
  }
  if (wanted("reguser-many-flat") && clientBound(server)) out.push(variant("reguser-many-flat"));
  // The same run over WebSocket, beside TCP on the servers where the client's cost shows.
  if (wanted("reguser-many-ws") && clientBound(server)) out.push(variant("reguser-many-ws"));
  for (const id of ["slixmpp-one", "slixmpp-per-user"] as const) if (wanted(id) && python) out.push(variant(id));
  for (const id of ["xmppjs-per-user", "reguser-per-user"] as const) if (wanted(id)) out.push(variant(id));
  if (wanted("tsung-per-user") && !missing("tsung-per-user")) out.push(variant("tsung-per-user"));
  return out;
}

/** Per-connection contenders at a larger N: one run, and none when the smaller N predicts it would be too slow. */
function perUserPlan(config: BenchConfig, cells: Cell[], server: string, v: Variant, n: number): string | number {
  const smallest = config.sizes[0] as number;
  if (n === smallest) return config.runs;
  const base = cells.find((c) => c.server === server && c.n === smallest && c.key === v.key);
  const seconds = base?.runs.length ? median(base.runs.map((m) => m.seconds)) : undefined;
  if (seconds === undefined) return `not run: no complete run at N=${smallest} to estimate from`;
  const estimate = (seconds * n) / smallest;
  if (estimate > config.perUserCapSeconds) {
    return `not run: ${Math.round(estimate)} s estimated from N=${smallest} (cap ${config.perUserCapSeconds} s)`;
  }
  return 1;
}

async function runOnce(
  server: ServerId,
  n: number,
  v: Variant,
  cell: Cell,
  job: { prefix: string; deadlineMs: number },
  python?: Python,
) {
  const s = await start(server, v.contender.webSocket ? { webSocket: true } : {});
  try {
    const result = await runChild(
      v.contender,
      {
        host: s.host,
        port: s.port,
        domain: s.domain,
        ...(v.contender.webSocket ? { url: s.webSocketUrl } : {}),
        n,
        ...v.contender.job,
        ...v.contender.jobOn?.(server),
        ...(v.concurrency !== undefined ? { concurrency: v.concurrency } : {}),
        ...job,
      },
      python?.path,
    );
    if (!result.ok) return void cell.problems.push(result.error);
    const m = result.measurement;
    if (m.ok !== n || m.failed > 0) {
      cell.problems.push(`${m.ok}/${n} registered, ${m.failed} failed${m.note ? ` (${m.note})` : ""}`);
      return;
    }
    cell.runs.push(m);
    log(
      `  ${v.label}: ${Math.round(n / m.seconds)} users/s, ${m.cpuSeconds.toFixed(2)} s CPU${m.systemSeconds === undefined ? "" : ` (${m.systemSeconds.toFixed(2)} s in the kernel)`}, ${Math.round(m.maxRssKb / 1024)} MiB`,
    );
  } finally {
    await stop(s);
  }
}

export async function runMatrix(config: BenchConfig, python: Python | undefined): Promise<MatrixResult> {
  const cells: Cell[] = [];
  const notes: string[] = [];
  let counter = 0;
  const tsungMissing = config.contenders.includes("tsung-per-user") ? missing("tsung-per-user") : undefined;
  if (tsungMissing) notes.push(`tsung-per-user ${tsungMissing}`);
  for (const server of config.servers) {
    if (!available(server)) {
      notes.push(`${server}: not installed, skipped (apt-get install -y prosody ejabberd jabberd2)`);
      continue;
    }
    for (const n of config.sizes) {
      const variants = variantsFor(config, server, n, cells, python);
      const plan = new Map<string, Cell & { planned: number }>();
      for (const v of variants) {
        const runs = v.contender.perUser ? perUserPlan(config, cells, server, v, n) : config.runs;
        const cell: Cell & { planned: number } = {
          server,
          n,
          key: v.key,
          label: v.label,
          runs: [],
          problems: [],
          planned: 0,
        };
        if (typeof runs === "string") cell.skipped = runs;
        else cell.planned = runs;
        plan.set(v.key, cell);
      }
      // Runs interleaved: run 1 of every contender, then run 2…, so drift hits them all alike.
      for (let r = 1; r <= config.runs; r++) {
        log(`[${server} N=${n} run ${r}/${config.runs}]`);
        for (const v of variants) {
          const cell = plan.get(v.key) as Cell & { planned: number };
          if (r > cell.planned) continue;
          const deadlineMs = v.contender.perUser
            ? Math.max(60_000, config.perUserCapSeconds * 1500)
            : ONE_CONNECTION_DEADLINE_MS;
          await runOnce(server, n, v, cell, { prefix: `b${++counter}x`, deadlineMs }, python);
        }
      }
      for (const { planned: _planned, ...cell } of plan.values()) cells.push(cell);
    }
  }
  return { cells, notes };
}
