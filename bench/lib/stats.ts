// Medians of a cell's runs: the figures the table shows.
import type { Measurement } from "../contenders/measure.js";

export interface Cell {
  server: string;
  n: number;
  key: string;
  label: string;
  /** Complete runs (every account got a reply). */
  runs: Measurement[];
  /** Runs that failed, or had failed registrations: reported, never averaged in. */
  problems: string[];
  skipped?: string;
}

export interface Summary {
  rate: number;
  cpuPer1000: number;
  rssMiB: number;
  /** RSS before the timed phase (code loaded), for reading the peak. */
  baseMiB: number;
  runs: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(cell: Cell): Summary | undefined {
  if (cell.runs.length === 0) return undefined;
  return {
    rate: median(cell.runs.map((m) => m.users / m.seconds)),
    cpuPer1000: median(cell.runs.map((m) => (m.cpuSeconds / m.users) * 1000)),
    rssMiB: median(cell.runs.map((m) => m.maxRssKb / 1024)),
    baseMiB: median(cell.runs.map((m) => m.rssBeforeKb / 1024)),
    runs: cell.runs.length,
  };
}
