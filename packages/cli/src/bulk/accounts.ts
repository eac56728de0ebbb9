// Accounts for a bulk run from a pattern or CSV records; unusable rows become InvalidRowError, not a stop.
import type { NewAccount } from "reguser";
import { UsageError } from "../usage-error.js";
import type { CsvRecord } from "./csv-records.js";
import type { Pattern } from "./pattern.js";

/** A row that cannot be registered (no username, no password, too many cells, a name still in progress). */
export class InvalidRowError extends Error {
  override name = "InvalidRowError";
  readonly username: string;
  /** The CSV line, or 0 where there is none (a pattern, a row known only by its account). */
  readonly line: number;
  constructor(line: number, username: string, problem: string) {
    super(line > 0 ? `line ${line}: ${problem}` : problem);
    this.line = line;
    this.username = username;
  }
}

export type Item = { account: NewAccount } | { invalid: InvalidRowError };

/** The password for an account whose source gave none (template, random, shared), or undefined. */
export type PasswordFor = (username: string) => string | undefined;

/** Columns of a CSV file without a header row. */
export const DEFAULT_COLUMNS = ["username", "password", "email", "name"] as const;

export function* patternItems(pattern: Pattern, passwordFor: PasswordFor): Generator<Item> {
  for (const username of pattern.names()) {
    const password = passwordFor(username);
    if (password === undefined) yield { invalid: new InvalidRowError(0, username, "no password") };
    else yield { account: { username, password } };
  }
}

/** A first row naming its columns (`username,password,email`) is a header; anything else is data. */
export function headerOf(cells: readonly string[]): string[] | undefined {
  const names = cells.map((c) => c.trim().toLowerCase());
  if (names[0] !== "username") return undefined;
  for (const [i, name] of names.entries()) {
    if (!/^[a-z_][\w.-]*$/.test(name)) throw new UsageError(`CSV header: '${cells[i]}' is not a field name`, "bulk");
    if (names.indexOf(name) !== i) throw new UsageError(`CSV header: '${name}' appears twice`, "bulk");
  }
  return names;
}

export function itemOf(columns: readonly string[], record: CsvRecord, passwordFor: PasswordFor): Item {
  if ("problem" in record) return { invalid: new InvalidRowError(record.line, "", record.problem) };
  const { line, cells } = record;
  const username = (cells[0] ?? "").trim();
  const invalid = (problem: string) => ({ invalid: new InvalidRowError(line, username, problem) });
  if (cells.length > columns.length) return invalid(`${cells.length} cells, more than the columns ${columns}`);
  if (username === "") return invalid("no username");
  const account: Record<string, string> = { username };
  for (const [i, name] of columns.entries()) {
    const value = cells[i];
    if (i > 0 && value !== undefined && value !== "") account[name] = value;
  }
  const password = account.password ?? passwordFor(username);
  if (password === undefined) {
    return invalid("no password (add one, or use --password-template, --random-passwords or --password-stdin)");
  }
  account.password = password;
  return { account: account as NewAccount };
}

export async function* csvItems(
  records: AsyncIterator<CsvRecord>,
  columns: readonly string[],
  passwordFor: PasswordFor,
  first?: CsvRecord,
): AsyncGenerator<Item> {
  if (first) yield itemOf(columns, first, passwordFor);
  for (let r = await records.next(); !r.done; r = await records.next()) yield itemOf(columns, r.value, passwordFor);
}
