// CSV: quoted fields with commas, "" quotes and line breaks, both ways; records across lines; accounts.
import { describe, expect, it } from "vitest";
import { DEFAULT_COLUMNS, headerOf, InvalidRowError, itemOf } from "../src/bulk/accounts.js";
import { csvField, csvRow, parseCsvRecord } from "../src/bulk/csv.js";
import { type CsvRecord, csvRecords } from "../src/bulk/csv-records.js";
import { UsageError } from "../src/usage-error.js";

async function records(lines: string[]): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of csvRecords(lines)) out.push(r);
  return out;
}

describe("parseCsvRecord", () => {
  it.each([
    ["joseph,spinach", ["joseph", "spinach"]],
    ["joseph,spinach,joseph@yak,Joseph Adams", ["joseph", "spinach", "joseph@yak", "Joseph Adams"]],
    ['dj,"se,cret","DJ ""the"" Adams"', ["dj", "se,cret", 'DJ "the" Adams']],
    ['a,"",c', ["a", "", "c"]],
    ["a,,", ["a", "", ""]],
    ['a,b"c', ["a", 'b"c']],
    ['"multi\nline",x', ["multi\nline", "x"]],
  ])("%j", (text, fields) => {
    expect(parseCsvRecord(text)).toEqual(fields);
  });

  it("says a record is unfinished while a quote is open", () => {
    expect(parseCsvRecord('a,"open')).toBeUndefined();
    expect(parseCsvRecord('a,"open""')).toBeUndefined();
  });
});

describe("csvField / csvRow", () => {
  it("quotes only what needs it and round-trips", () => {
    const values = ["plain", "com,ma", 'quo"te', "line\nbreak", " edge", ""];
    expect(csvField("plain")).toBe("plain");
    expect(csvField('quo"te')).toBe('"quo""te"');
    const row = csvRow(values);
    expect(row.endsWith("\n")).toBe(true);
    expect(parseCsvRecord(row.slice(0, -1))).toEqual(values);
  });
});

describe("csvRecords", () => {
  it("skips blank lines, strips a BOM, joins a quoted line break, numbers records by their first line", async () => {
    const got = await records(["\uFEFFusername,password", "", 'a,"pa', 'ss"', "b,pw"]);
    expect(got).toEqual([
      { line: 1, cells: ["username", "password"] },
      { line: 3, cells: ["a", "pa\nss"] },
      { line: 5, cells: ["b", "pw"] },
    ]);
  });

  it("reports a quote never closed", async () => {
    expect(await records(['a,"never'])).toEqual([{ line: 1, problem: "a quoted field is never closed" }]);
  });
});

describe("CSV rows as accounts", () => {
  const none = () => undefined;

  it("recognises a header row and refuses a bad one", () => {
    expect(headerOf(["Username", "password", "nick"])).toEqual(["username", "password", "nick"]);
    expect(headerOf(["joseph", "spinach"])).toBeUndefined();
    expect(() => headerOf(["username", "pass word"])).toThrow(UsageError);
    expect(() => headerOf(["username", "password", "password"])).toThrow(/twice/);
  });

  it("maps cells to fields; empty cells are left out", () => {
    const item = itemOf(DEFAULT_COLUMNS, { line: 1, cells: ["joseph", "spinach", "", "Joseph Adams"] }, none);
    expect(item).toEqual({ account: { username: "joseph", password: "spinach", name: "Joseph Adams" } });
  });

  it("fills a missing password from the fallback, else marks the row invalid", () => {
    const fallback = (u: string) => `pw-${u}`;
    expect(itemOf(DEFAULT_COLUMNS, { line: 2, cells: ["dj"] }, fallback)).toEqual({
      account: { username: "dj", password: "pw-dj" },
    });
    const item = itemOf(DEFAULT_COLUMNS, { line: 2, cells: ["dj"] }, none);
    expect("invalid" in item && item.invalid).toBeInstanceOf(InvalidRowError);
    expect("invalid" in item && item.invalid.message).toMatch(/^line 2: no password/);
  });

  it("marks rows without a username or with too many cells invalid", () => {
    const noName = itemOf(DEFAULT_COLUMNS, { line: 4, cells: ["", "pw"] }, none);
    expect("invalid" in noName && noName.invalid.message).toBe("line 4: no username");
    const wide = itemOf(["username", "password"], { line: 5, cells: ["a", "b", "c"] }, none);
    expect("invalid" in wide && wide.invalid.message).toMatch(/3 cells/);
  });
});
