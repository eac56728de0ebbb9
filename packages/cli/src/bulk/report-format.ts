// One line of a bulk report per account: the username, ok or failed, and the error (never a password).
import { StanzaError } from "reguser";
import type { Via } from "../results.js";
import { csvRow } from "./csv.js";

export interface ReportEntry {
  username: string;
  ok: boolean;
  error?: Error | undefined;
  /** Created through --admin (the JSON report says so; the CSV columns stay as they are). */
  via?: Via | undefined;
}

export const REPORT_CSV_HEADER = csvRow(["username", "outcome", "error", "code", "condition", "text"]);

export function reportCsvLine(entry: ReportEntry): string {
  const e = entry.error;
  const stanza = e instanceof StanzaError ? e : undefined;
  return csvRow([
    entry.username,
    entry.ok ? "ok" : "failed",
    e?.name ?? "",
    stanza?.code === undefined ? "" : String(stanza.code),
    stanza?.condition ?? "",
    (stanza ? stanza.text : e?.message) ?? "",
  ]);
}

export function reportJsonEntry(entry: ReportEntry): Record<string, unknown> {
  const e = entry.error;
  if (!e) return { username: entry.username, ok: entry.ok, ...(entry.via ? { via: entry.via } : {}) };
  const error =
    e instanceof StanzaError
      ? { name: e.name, code: e.code, condition: e.condition, text: e.text }
      : { name: e.name, message: e.message };
  return { username: entry.username, ok: entry.ok, error };
}

/** `--report FILE`: JSON for `*.json`, JSON Lines for `*.jsonl` and `*.ndjson` (the one --resume reads), else CSV. */
export type ReportFormat = "csv" | "json" | "jsonl";

export function reportFormatOf(path: string): ReportFormat {
  const name = path.toLowerCase();
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  return name.endsWith(".json") ? "json" : "csv";
}

/** The `reguser` key of a JSON Lines report's first line, and the version of its format. */
export const JSONL_REPORT = { kind: "bulk-report", version: 1 } as const;

/** Where the accounts of a JSON Lines report live: --resume refuses a report of another domain. */
export interface ReportHeader {
  reguser: typeof JSONL_REPORT.kind;
  version: typeof JSONL_REPORT.version;
  /** The XMPP domain the accounts were registered in (--domain, else the host), lower case. */
  domain: string;
  /** host[:port] as given. */
  target: string;
  /** When the first run started (ISO 8601). */
  started: string;
}

export function reportHeader(domain: string, target: string, started: Date): ReportHeader {
  return {
    reguser: JSONL_REPORT.kind,
    version: JSONL_REPORT.version,
    domain: domain.toLowerCase(),
    target,
    started: started.toISOString(),
  };
}
