// The files a bulk run writes as it goes: the --report of outcomes and the --out credentials (mode 600). Each line
// is one write(2) as its outcome arrives, so a run that is killed leaves every line written before it.
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import type { BulkSummary } from "../results.js";
import { UsageError } from "../usage-error.js";
import { csvRow } from "./csv.js";
import {
  REPORT_CSV_HEADER,
  type ReportEntry,
  type ReportFormat,
  type ReportHeader,
  reportCsvLine,
  reportFormatOf,
  reportJsonEntry,
} from "./report-format.js";

function open(path: string, flag: string, fsFlag: "w" | "a", mode: number): number {
  try {
    return openSync(path, fsFlag, mode);
  } catch (err) {
    throw new UsageError(`${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, "bulk");
  }
}

/** Where an appended file goes on: after its last complete line (a cut-short line dropped first). */
export interface AppendAt {
  /** Bytes to keep: the file is cut there. */
  bytes: number;
  /** The kept part does not end in a line break: one is written first. */
  needsNewline: boolean;
}

/**
 * Per-account outcomes, written as they come (memory stays flat): JSON for *.json, JSON Lines for *.jsonl (a header
 * line saying where, then one object per account, then the summary), else CSV. `append`: --resume goes on with a
 * JSON Lines report.
 */
export class ReportFile {
  readonly path: string;
  readonly #fd: number;
  readonly #format: ReportFormat;
  #count = 0;

  constructor(path: string, header: ReportHeader, append?: AppendAt) {
    this.path = path;
    this.#format = reportFormatOf(path);
    if (append) {
      this.#fd = open(path, "--resume", "a", 0o644);
      ftruncateSync(this.#fd, append.bytes);
      if (append.needsNewline) writeSync(this.#fd, "\n");
      return;
    }
    this.#fd = open(path, "--report", "w", 0o644);
    const start = { json: '{"outcomes":[', jsonl: `${JSON.stringify(header)}\n`, csv: REPORT_CSV_HEADER };
    writeSync(this.#fd, start[this.#format]);
  }

  add(entry: ReportEntry): void {
    const json = () => JSON.stringify(reportJsonEntry(entry));
    if (this.#format === "json") writeSync(this.#fd, `${this.#count > 0 ? "," : ""}\n${json()}`);
    else writeSync(this.#fd, this.#format === "jsonl" ? `${json()}\n` : reportCsvLine(entry));
    this.#count += 1;
  }

  close(summary?: BulkSummary): void {
    const { report: _report, out: _out, ...rest } = summary ?? {};
    if (this.#format === "json") writeSync(this.#fd, `\n],"summary":${JSON.stringify(summary ? rest : null)}}\n`);
    if (this.#format === "jsonl" && summary) writeSync(this.#fd, `${JSON.stringify({ summary: rest })}\n`);
    closeSync(this.#fd);
  }
}

/**
 * `username,password` of every account registered: the one place generated passwords are written. `append`
 * (--resume): the passwords of the runs before stay; a header only for a new or empty file.
 */
export class CredentialsFile {
  readonly path: string;
  readonly #fd: number;

  constructor(path: string, append = false) {
    this.path = path;
    this.#fd = open(path, "--out", append ? "a" : "w", 0o600);
    const size = fstatSync(this.#fd).size;
    if (size === 0) writeSync(this.#fd, csvRow(["username", "password"]));
    else if (!endsWithNewline(path, size)) writeSync(this.#fd, "\n");
  }

  add(username: string, password: string): void {
    writeSync(this.#fd, csvRow([username, password]));
  }

  close(): void {
    closeSync(this.#fd);
  }
}

function endsWithNewline(path: string, size: number): boolean {
  const fd = openSync(path, "r");
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}
