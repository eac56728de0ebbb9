// The files a bulk run writes as it goes: the --report of outcomes and the --out credentials (mode 600).
import { closeSync, openSync, writeSync } from "node:fs";
import type { BulkSummary } from "../results.js";
import { UsageError } from "../usage-error.js";
import { csvRow } from "./csv.js";
import { REPORT_CSV_HEADER, type ReportEntry, reportCsvLine, reportJsonEntry } from "./report-format.js";

function open(path: string, flag: string, mode: number): number {
  try {
    return openSync(path, "w", mode);
  } catch (err) {
    throw new UsageError(`${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, "bulk");
  }
}

/** Per-account outcomes, written as they come (memory stays flat): JSON for *.json, else CSV. */
export class ReportFile {
  readonly path: string;
  readonly #fd: number;
  readonly #json: boolean;
  #count = 0;

  constructor(path: string) {
    this.path = path;
    this.#json = path.toLowerCase().endsWith(".json");
    this.#fd = open(path, "--report", 0o644);
    writeSync(this.#fd, this.#json ? '{"outcomes":[' : REPORT_CSV_HEADER);
  }

  add(entry: ReportEntry): void {
    const text = this.#json
      ? `${this.#count > 0 ? "," : ""}\n${JSON.stringify(reportJsonEntry(entry))}`
      : reportCsvLine(entry);
    writeSync(this.#fd, text);
    this.#count += 1;
  }

  close(summary?: BulkSummary): void {
    if (this.#json) {
      const { report: _report, out: _out, ...rest } = summary ?? {};
      writeSync(this.#fd, `\n],"summary":${JSON.stringify(summary ? rest : null)}}\n`);
    }
    closeSync(this.#fd);
  }
}

/** `username,password` of every account registered: the one place generated passwords are written. */
export class CredentialsFile {
  readonly path: string;
  readonly #fd: number;

  constructor(path: string) {
    this.path = path;
    this.#fd = open(path, "--out", 0o600);
    writeSync(this.#fd, csvRow(["username", "password"]));
  }

  add(username: string, password: string): void {
    writeSync(this.#fd, csvRow([username, password]));
  }

  close(): void {
    closeSync(this.#fd);
  }
}
