// A CSV file as records, read line by line with node:readline so memory stays flat whatever its size.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parseCsvRecord } from "./csv.js";

export type CsvRecord = { line: number; cells: string[] } | { line: number; problem: string };

/** Records from lines; blank lines are skipped, a record may span lines inside quotes. */
export async function* csvRecords(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<CsvRecord> {
  let pending: string | undefined;
  let start = 0;
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo += 1;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (pending === undefined) {
      if (line.trim() === "") continue;
      pending = line;
      start = lineNo;
    } else {
      pending += `\n${line}`;
    }
    const cells = parseCsvRecord(pending);
    if (cells === undefined) continue;
    pending = undefined;
    yield { line: start, cells };
  }
  if (pending !== undefined) yield { line: start, problem: "a quoted field is never closed" };
}

export function fileLines(path: string): AsyncIterable<string> {
  return createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
}

/** Non-blank lines, for a progress bar's total (an estimate: a quoted line break counts twice). */
export async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const line of fileLines(path)) if (line.trim() !== "") n += 1;
  return n;
}
