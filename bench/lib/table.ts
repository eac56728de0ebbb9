// The results table (Markdown: readable in a terminal and in RESULTS.md).
import { bestConcurrency } from "./matrix.js";
import { oneAtATime, type ServerId } from "./servers.js";
import { type Cell, summarize } from "./stats.js";

function fmt(value: number, digits = 0): string {
  return Number.isFinite(value)
    ? value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";
}

/** The server's limit: the raw script's rate, one request at a time where pipelining loses replies (jabberd2). */
export function rawRate(cells: Cell[], server: string, n: number): number | undefined {
  const key = oneAtATime(server as ServerId) ? "raw-one" : "raw";
  const raw = cells.find((c) => c.server === server && c.n === n && c.key === key);
  return raw ? summarize(raw)?.rate : undefined;
}

export function isBest(cells: Cell[], cell: Cell): boolean {
  const best = bestConcurrency(cells, cell.server, cell.n);
  if (best === undefined || !/^reguser-many(@\d+)?$/.test(cell.key)) return false;
  return (
    cell.key === `reguser-many@${best}` ||
    (cell.key === "reguser-many" &&
      !cells.some((c) => c.server === cell.server && c.n === cell.n && c.key === `reguser-many@${best}`))
  );
}

export function renderTable(cells: Cell[]): string {
  const lines = [
    "| server | N | contender | runs | users/s (median) | × raw limit | client CPU s / 1,000 users | peak RSS MiB (before run) | problems |",
    "|---|---:|---|---:|---:|---:|---:|---:|---|",
  ];
  for (const cell of cells) {
    const s = summarize(cell);
    const raw = rawRate(cells, cell.server, cell.n);
    const label = isBest(cells, cell) ? `**${cell.label}** (best)` : cell.label;
    const problems = [cell.skipped, ...cell.problems.map((p) => `✗ ${p}`)].filter(Boolean).join("; ");
    if (!s) {
      lines.push(
        `| ${cell.server} | ${fmt(cell.n)} | ${label} | 0 | – | – | – | – | ${problems || "no complete run"} |`,
      );
      continue;
    }
    const ratio = raw ? `${fmt((s.rate / raw) * 100, 0)} %` : "–";
    lines.push(
      `| ${cell.server} | ${fmt(cell.n)} | ${label} | ${s.runs} | ${fmt(s.rate)} | ${ratio} | ${fmt(s.cpuPer1000, 3)} | ${fmt(s.rssMiB, 1)} (${fmt(s.baseMiB, 0)}) | ${problems} |`,
    );
  }
  return lines.join("\n");
}
