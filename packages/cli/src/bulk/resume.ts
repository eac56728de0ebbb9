// --resume FILE: what an earlier run's JSON Lines report says was done. Accounts recorded ok are skipped, failed
// ones are sent again; the report is continued in place (a line cut short by a kill is dropped, with a warning).
import { createReadStream } from "node:fs";
import { UsageError } from "../usage-error.js";
import type { AppendAt } from "./files.js";
import { JSONL_REPORT, type ReportHeader } from "./report-format.js";

/** Where this run registers: a report of another domain is refused. */
export interface RunPlace {
  domain: string;
  target: string;
}

export interface PreviousRun {
  path: string;
  /** Usernames with an ok outcome: not sent again. */
  done: ReadonlySet<string>;
  /** Usernames with only failed outcomes: sent again. */
  retried: number;
  /** Where this run's lines go: after the last complete line. */
  append: AppendAt;
  /** The line number of a last line cut short (and dropped), if there was one. */
  cutShort: number | undefined;
}

/** One line of a file and its bytes: `start` to `end` (its line break included, if `terminated`). */
export interface FileLine {
  text: string;
  start: number;
  end: number;
  terminated: boolean;
}

/** The lines of a report, one after another: the header first, then entries and summaries. */
export class ReportReader {
  readonly #path: string;
  readonly #place: RunPlace;
  #lineNo = 0;
  #header: ReportHeader | undefined;
  /** A line that is not JSON: tolerated only as the file's last (a write cut short). */
  #bad: { line: number; start: number } | undefined;
  readonly #done = new Set<string>();
  readonly #failed = new Set<string>();
  #kept: AppendAt = { bytes: 0, needsNewline: false };

  constructor(path: string, place: RunPlace) {
    this.#path = path;
    this.#place = place;
  }

  line({ text, start, end, terminated }: FileLine): void {
    this.#lineNo += 1;
    if (this.#bad) throw this.#damaged(this.#bad.line);
    const trimmed = text.trim();
    if (trimmed === "" && this.#header) {
      this.#kept = { bytes: end, needsNewline: !terminated };
      return;
    }
    const value = parseJson(trimmed);
    if (this.#header === undefined) {
      this.#header = this.#checkHeader(value);
    } else if (value === undefined) {
      this.#bad = { line: this.#lineNo, start };
      return;
    } else if (isEntry(value)) {
      if (value.ok) this.#done.add(value.username);
      else if (value.username !== "") this.#failed.add(value.username);
    } else if (!("summary" in value)) {
      throw this.#damaged(this.#lineNo);
    }
    this.#kept = { bytes: end, needsNewline: !terminated };
  }

  /** What the report says, once every line was read; `warn` hears of a dropped last line. */
  finish(warn: (message: string) => void): PreviousRun {
    if (this.#header === undefined) throw this.#notAReport("it is empty");
    const bad = this.#bad;
    if (bad) {
      warn(
        `--resume ${this.#path}: line ${bad.line}, the last, is cut short (a run killed while writing it): ` +
          "dropped; the account it was about, if any, is sent again",
      );
    }
    let retried = 0;
    for (const name of this.#failed) if (!this.#done.has(name)) retried += 1;
    return { path: this.#path, done: this.#done, retried, append: this.#kept, cutShort: bad?.line };
  }

  #checkHeader(value: Record<string, unknown> | undefined): ReportHeader {
    if (value?.reguser !== JSONL_REPORT.kind) {
      throw this.#notAReport("its first line is not the header a JSON Lines --report starts with");
    }
    if (value.version !== JSONL_REPORT.version) {
      throw this.#usage(`format version ${String(value.version)}; this reguser reads ${JSONL_REPORT.version}`);
    }
    const header = value as unknown as ReportHeader;
    if (typeof header.domain !== "string" || header.domain !== this.#place.domain.toLowerCase()) {
      throw this.#usage(
        `it is the report of a run on ${String(header.domain)} (${String(header.target)}), not ${this.#place.domain}: ` +
          "resume with the host and --domain of that run, or start a new report with --report",
      );
    }
    return header;
  }

  #damaged(line: number): UsageError {
    return this.#usage(
      `line ${line} is not a report line (the file was changed or damaged; only a last line cut short is tolerated)`,
    );
  }

  #notAReport(why: string): UsageError {
    return this.#usage(`not a reguser bulk report: ${why}`);
  }

  #usage(message: string): UsageError {
    return new UsageError(`--resume ${this.#path}: ${message}`, "bulk");
  }
}

type Entry = { username: string; ok: boolean };

function isEntry(value: Record<string, unknown>): value is Entry {
  return typeof value.username === "string" && typeof value.ok === "boolean";
}

/** A JSON object, or undefined for anything else (not JSON, an array, a string…). */
function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Read the report at `path` line by line (memory: the usernames, not the file). */
export async function readPreviousRun(
  path: string,
  place: RunPlace,
  warn: (message: string) => void,
): Promise<PreviousRun> {
  const reader = new ReportReader(path, place);
  try {
    for await (const line of fileLines(path)) reader.line(line);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--resume ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, "bulk");
  }
  return reader.finish(warn);
}

/** The lines of a file with their byte offsets (split at "\n"; a "\r" before it is left to the JSON parser). */
export async function* fileLines(path: string): AsyncGenerator<FileLine> {
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  for await (const chunk of createReadStream(path)) {
    const buf: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let from = 0;
    for (let nl = buf.indexOf(0x0a, from); nl >= 0; nl = buf.indexOf(0x0a, from)) {
      yield { text: buf.toString("utf8", from, nl), start: offset + from, end: offset + nl + 1, terminated: true };
      from = nl + 1;
    }
    carry = buf.subarray(from);
    offset += from;
  }
  if (carry.length > 0) {
    yield { text: carry.toString("utf8"), start: offset, end: offset + carry.length, terminated: false };
  }
}
