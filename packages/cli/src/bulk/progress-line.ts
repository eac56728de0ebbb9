// The progress bar's line, as a pure function of the counts, the total and the time: done/total, percent,
// accounts per second, ETA, failures, a throttle wait, a Ctrl-C that is letting the requests in flight finish.
import type { ErrorCounts } from "../results.js";
import { terminalSafe } from "../terminal-safe.js";
import { RecentRate } from "./recent-rate.js";

/** What the line shows, every value already worked out (see ProgressModel for where they come from). */
export interface ProgressView {
  /** Outcomes so far: ok + failed (accounts skipped by --resume are not among them). */
  done: number;
  failed: number;
  byError: Readonly<ErrorCounts>;
  /** Accounts this run is to send; undefined when unknown (a CSV file read as it goes). */
  total: number | undefined;
  /** Accounts --resume skipped (already registered according to the report). */
  skipped: number;
  /** Outcomes per second lately; undefined until a second has passed. */
  rate: number | undefined;
  /** Milliseconds left of a wait for the server's registration throttle; undefined when not waiting. */
  waitingMs: number | undefined;
  /** Ctrl-C was pressed: the requests still in flight, which the run waits for. */
  stopping: { inFlight: number } | undefined;
}

const BAR_CELLS = 20;

export function progressLine(v: ProgressView): string {
  const total = v.total === undefined ? undefined : Math.max(v.total, v.done);
  const parts: string[] = [];
  if (total === undefined) parts.push(`${v.done} done`);
  else {
    const fraction = total === 0 ? 1 : v.done / total;
    parts.push(`${bar(fraction)} ${Math.floor(fraction * 100)}% ${v.done}/${total}`);
  }
  parts.push(`${rateText(v.rate)}/s`);
  parts.push(`ETA ${etaText(total === undefined ? undefined : total - v.done, v.rate)}`);
  parts.push(failedText(v.failed, v.byError));
  if (v.skipped > 0) parts.push(`skipped ${v.skipped}`);
  if (v.waitingMs !== undefined) parts.push(`waiting ${Math.ceil(v.waitingMs / 1000)}s for the server's throttle`);
  if (v.stopping) parts.push(`stopping: ${v.stopping.inFlight} in flight (Ctrl-C again quits at once)`);
  return parts.join(" | ");
}

function bar(fraction: number): string {
  const full = Math.floor(Math.min(Math.max(fraction, 0), 1) * BAR_CELLS);
  return `${"█".repeat(full)}${"░".repeat(BAR_CELLS - full)}`;
}

function rateText(rate: number | undefined): string {
  if (rate === undefined) return "–";
  return rate < 10 ? rate.toFixed(1) : String(Math.round(rate));
}

/** `ETA 42s`, `ETA 3m05s`, `ETA 2h03m`; `ETA –` without a total or a rate (a stalled server has rate 0). */
function etaText(remaining: number | undefined, rate: number | undefined): string {
  if (remaining === undefined) return "–";
  if (remaining <= 0) return "0s";
  if (rate === undefined || rate <= 0) return "–";
  return durationText(Math.ceil(remaining / rate));
}

export function durationText(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${pad(Math.floor((seconds % 3600) / 60))}m`;
}

/** `failed 0`, `failed 2 (ConflictError)`, `failed 5 (ConflictError 4, others 1)`: the count and the commonest class. */
function failedText(failed: number, byError: Readonly<ErrorCounts>): string {
  const [top] = Object.entries(byError).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  if (failed === 0 || !top) return `failed ${failed}`;
  const [name, count] = top;
  const safe = terminalSafe(name);
  return count >= failed
    ? `failed ${failed} (${safe})`
    : `failed ${failed} (${safe} ${count}, others ${failed - count})`;
}

/** The counts a run reports as outcomes arrive. */
export interface ProgressCounts {
  ok: number;
  failed: number;
  byError: Readonly<ErrorCounts>;
  skipped: number;
  inFlight: number;
}

/** A run's progress as events at given times (the caller's clock): the recent rate, a wait's end, Ctrl-C. */
export class ProgressModel {
  readonly #total: number | undefined;
  readonly #rate: RecentRate;
  #counts: ProgressCounts = { ok: 0, failed: 0, byError: {}, skipped: 0, inFlight: 0 };
  #waitUntil: number | undefined;
  #stopping = false;

  constructor(start: number, total: number | undefined) {
    this.#total = total;
    this.#rate = new RecentRate(start);
  }

  update(now: number, counts: ProgressCounts): void {
    this.#counts = counts;
    this.#rate.record(now, counts.ok + counts.failed);
  }

  /** The run waits `ms` for the server's throttle, from `now` (BulkProgress.waitingMs). */
  waiting(now: number, ms: number): void {
    this.#waitUntil = now + ms;
  }

  stopping(): void {
    this.#stopping = true;
  }

  view(now: number): ProgressView {
    const c = this.#counts;
    const left = this.#waitUntil === undefined ? 0 : this.#waitUntil - now;
    return {
      done: c.ok + c.failed,
      failed: c.failed,
      byError: c.byError,
      total: this.#total,
      skipped: c.skipped,
      rate: this.#rate.perSecond(now),
      waitingMs: left > 0 ? left : undefined,
      stopping: this.#stopping ? { inFlight: c.inFlight } : undefined,
    };
  }

  line(now: number): string {
    return progressLine(this.view(now));
  }
}
