// The issue's targets, checked against the medians: one line per server and N, with the margin.
import { bestConcurrency } from "./matrix.js";
import { clientBound, oneAtATime, type ServerId } from "./servers.js";
import { type Cell, summarize } from "./stats.js";
import { rawRate } from "./table.js";

export interface Verdict {
  met: boolean;
  text: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function rate(cells: Cell[], server: string, n: number, key: string): number | undefined {
  const cell = cells.find((c) => c.server === server && c.n === n && c.key === key);
  return cell ? summarize(cell)?.rate : undefined;
}

function ratioVerdict(what: string, value: number, target: number, show: (x: number) => string): Verdict {
  const met = value >= target;
  const miss = met ? "" : `, missed by ${show(target - value)}`;
  return { met, text: `${what}: ${show(value)} (target ≥ ${show(target)})${miss}` };
}

/** Issue 15: registerMany within this share of the server's limit on the servers where the client matters. */
const RATE_TARGET = 0.95;
/** Issue 5's target, kept for hashed Prosody (bound by its password hashing). */
const RATE_TARGET_SERVER_BOUND = 0.9;
/** Issue 15: registerMany's client CPU per account at most this many times the raw script's, in the same run. */
const CPU_TARGET = 2;

function cpuPer1000(cells: Cell[], server: string, n: number, key: string): number | undefined {
  const cell = cells.find((c) => c.server === server && c.n === n && c.key === key);
  return cell ? summarize(cell)?.cpuPer1000 : undefined;
}

function cpuVerdict(where: string, ours: number, raw: number, limit: string): Verdict {
  const ratio = ours / raw;
  const met = ratio <= CPU_TARGET;
  const miss = met ? "" : `, missed by ${(ratio - CPU_TARGET).toFixed(1)}×`;
  return {
    met,
    text: `${where}: registerMany (default) client CPU / ${limit}'s: ${ours.toFixed(3)} / ${raw.toFixed(3)} s per 1,000 = ${ratio.toFixed(1)}× (target ≤ ${CPU_TARGET}×${miss})`,
  };
}

export function verdicts(cells: Cell[]): Verdict[] {
  const out: Verdict[] = [];
  const pairs = [...new Set(cells.map((c) => `${c.server}\u0000${c.n}`))].map((k) => k.split("\u0000"));
  for (const [server = "", nText = "0"] of pairs) {
    const n = Number(nText);
    const where = `${server}, N=${n.toLocaleString("en-US")}`;
    const deflt = rate(cells, server, n, "reguser-many");
    if (oneAtATime(server as ServerId)) {
      const one = rawRate(cells, server, n);
      if (one && deflt)
        out.push(ratioVerdict(`${where}: registerMany (default) / raw one at a time`, deflt / one, RATE_TARGET, pct));
      const [ours, raw] = [cpuPer1000(cells, server, n, "reguser-many"), cpuPer1000(cells, server, n, "raw-one")];
      if (ours && raw) out.push(cpuVerdict(where, ours, raw, "raw one at a time"));
      continue;
    }
    const raw = rawRate(cells, server, n);
    const best = bestConcurrency(cells, server, n);
    const bestKey =
      best === undefined
        ? undefined
        : cells.some((c) => c.server === server && c.n === n && c.key === `reguser-many@${best}`)
          ? `reguser-many@${best}`
          : "reguser-many";
    const many = bestKey ? rate(cells, server, n, bestKey) : undefined;
    const target = clientBound(server as ServerId) ? RATE_TARGET : RATE_TARGET_SERVER_BOUND;
    if (raw && deflt) out.push(ratioVerdict(`${where}: registerMany (default) / raw limit`, deflt / raw, target, pct));
    if (raw && many && bestKey !== "reguser-many")
      out.push(ratioVerdict(`${where}: registerMany (concurrency ${best}) / raw limit`, many / raw, target, pct));
    const [ours, rawCpu] = [cpuPer1000(cells, server, n, "reguser-many"), cpuPer1000(cells, server, n, "raw")];
    if (ours && rawCpu) out.push(cpuVerdict(where, ours, rawCpu, "raw script"));
    const slix = Math.max(rate(cells, server, n, "slixmpp-one") ?? 0, rate(cells, server, n, "slixmpp-per-user") ?? 0);
    const x = (v: number) => `${v.toFixed(1)}×`;
    // What the server allows at most: the raw limit over the other contender.
    const ceiling = (other: number) => (raw ? `; the server's ceiling for this ratio is ${x(raw / other)}` : "");
    if (many && slix > 0) {
      const v = ratioVerdict(`${where}: registerMany (best) / slixmpp's best mode`, many / slix, 3, x);
      out.push({ ...v, text: `${v.text}${ceiling(slix)}` });
    }
    const perUser = rate(cells, server, n, "reguser-per-user");
    if (many && perUser) {
      const v = ratioVerdict(`${where}: registerMany (best) / one connection per user`, many / perUser, 10, x);
      out.push({ ...v, text: `${v.text}${ceiling(perUser)}` });
    }
  }
  out.push(...memoryVerdicts(cells));
  return out;
}

/** Peak RSS at the largest N within 1.5× of that at the smallest, per server, for both keepOutcomes settings. */
function memoryVerdicts(cells: Cell[]): Verdict[] {
  const out: Verdict[] = [];
  const sizes = [...new Set(cells.map((c) => c.n))].sort((a, b) => a - b);
  const [small, large] = [sizes[0], sizes[sizes.length - 1]];
  if (small === undefined || large === undefined || small === large) return out;
  for (const server of new Set(cells.map((c) => c.server))) {
    for (const key of ["reguser-many", "reguser-many-flat"]) {
      const at = (n: number) => {
        const cell = cells.find((c) => c.server === server && c.n === n && c.key === key);
        return cell ? summarize(cell) : undefined;
      };
      const [a, b] = [at(small), at(large)];
      if (!a || !b) continue;
      const ratio = b.rssMiB / a.rssMiB;
      const growth = `${a.rssMiB.toFixed(0)} → ${b.rssMiB.toFixed(0)} MiB; above the loaded code: ${(a.rssMiB - a.baseMiB).toFixed(0)} → ${(b.rssMiB - b.baseMiB).toFixed(0)} MiB`;
      const met = ratio <= 1.5;
      out.push({
        met,
        text: `${server}: ${key === "reguser-many" ? "registerMany" : "registerMany keepOutcomes:false"} peak RSS N=${large.toLocaleString("en-US")} / N=${small.toLocaleString("en-US")}: ${ratio.toFixed(2)}× (target ≤ 1.5×${met ? "" : `, missed by ${(ratio - 1.5).toFixed(2)}×`}; ${growth})`,
      });
    }
  }
  return out;
}
