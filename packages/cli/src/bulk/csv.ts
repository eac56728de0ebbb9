// RFC 4180 CSV: parse a record (quoted fields may hold commas, "" quotes and line breaks) and write one.

/**
 * The fields of one record. `text` may span several lines joined with "\n"; undefined means a quoted
 * field is still open and the next line belongs to this record.
 */
export function parseCsvRecord(text: string): string[] | undefined {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") {
      quoted = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else {
      field += ch;
    }
    i += 1;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/** One field, quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV record (RFC 4180) of `values`, quoted where needed, ending in a newline. */
export function csvRow(values: readonly string[]): string {
  return `${values.map(csvField).join(",")}\n`;
}
