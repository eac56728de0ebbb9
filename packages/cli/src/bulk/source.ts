// Where a bulk run's accounts come from: a pattern, or a CSV file whose first row may be a header.
import { access, constants } from "node:fs/promises";
import { UsageError } from "../usage-error.js";
import { csvItems, DEFAULT_COLUMNS, headerOf, type Item, type PasswordFor, patternItems } from "./accounts.js";
import { csvRecords, fileLines } from "./csv-records.js";
import { parsePattern } from "./pattern.js";

export interface AccountSource {
  items: AsyncIterable<Item> | Iterable<Item>;
  /** Known for a pattern; for a CSV file, counted only when a progress bar needs it. */
  total: number | undefined;
}

export function patternSource(pattern: string, passwordFor: PasswordFor): AccountSource {
  const parsed = parsePattern(pattern);
  return { items: patternItems(parsed, passwordFor), total: parsed.count };
}

/** Opens the file and reads its first record before anything is sent: a bad file is a usage error. */
export async function csvSource(path: string, passwordFor: PasswordFor): Promise<AccountSource> {
  try {
    await access(path, constants.R_OK);
  } catch (err) {
    throw new UsageError(`--csv ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, "bulk");
  }
  const records = csvRecords(fileLines(path));
  const first = await records.next();
  if (first.done) throw new UsageError(`--csv ${path}: no accounts in the file`, "bulk");
  const header = "cells" in first.value ? headerOf(first.value.cells) : undefined;
  const columns = header ?? DEFAULT_COLUMNS;
  return { items: csvItems(records, columns, passwordFor, header ? undefined : first.value), total: undefined };
}
