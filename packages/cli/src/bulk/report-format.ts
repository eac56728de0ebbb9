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
