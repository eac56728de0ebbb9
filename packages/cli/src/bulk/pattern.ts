// Shell-style numeric brace ranges for usernames: user{001..500} keeps zero padding, {1..N}, several combine.
import { UsageError } from "../usage-error.js";

interface Range {
  from: number;
  to: number;
  /** Zero-padded width, as bash does when either bound has a leading zero; 0 for none. */
  width: number;
}

type Part = string | Range;

export interface Pattern {
  /** How many names the pattern makes. */
  readonly count: number;
  /** The names in order (the leftmost range varies slowest), generated one at a time. */
  names(): Generator<string>;
}

/** The most names one pattern may make: a typo such as {1..10000000000} is refused, not run. */
export const MAX_PATTERN_NAMES = 10_000_000;

const RANGE = /\{(\d+)\.\.(\d+)\}/g;

/**
 * Parse a username pattern with shell-style numeric ranges (`user{001..500}`: zero padding kept, several ranges
 * combine); a bad one, or more than `MAX_PATTERN_NAMES` names, throws `UsageError`.
 */
export function parsePattern(text: string): Pattern {
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(RANGE)) {
    parts.push(literal(text.slice(last, match.index), text));
    parts.push(rangeOf(match[1] as string, match[2] as string, text));
    last = match.index + match[0].length;
  }
  parts.push(literal(text.slice(last), text));
  const ranges = parts.filter((p): p is Range => typeof p !== "string");
  if (ranges.length === 0) throw new UsageError(`--pattern '${text}' has no {A..B} range`, "bulk");
  const count = ranges.reduce((n, r) => n * (Math.abs(r.to - r.from) + 1), 1);
  if (count > MAX_PATTERN_NAMES) {
    throw new UsageError(`--pattern '${text}' makes ${count} names; the limit is ${MAX_PATTERN_NAMES}`, "bulk");
  }
  return { count, names: () => expand(parts, 0, "") };
}

function literal(part: string, text: string): string {
  if (/[{}]/.test(part)) throw new UsageError(`--pattern '${text}': only {A..B} numeric ranges are supported`, "bulk");
  return part;
}

function rangeOf(a: string, b: string, text: string): Range {
  const from = Number(a);
  const to = Number(b);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
    throw new UsageError(`--pattern '${text}': range bounds too large`, "bulk");
  }
  const padded = (s: string) => s.length > 1 && s.startsWith("0");
  return { from, to, width: padded(a) || padded(b) ? Math.max(a.length, b.length) : 0 };
}

function* expand(parts: readonly Part[], index: number, prefix: string): Generator<string> {
  if (index === parts.length) {
    yield prefix;
    return;
  }
  const part = parts[index] as Part;
  if (typeof part === "string") {
    yield* expand(parts, index + 1, prefix + part);
    return;
  }
  const step = part.to >= part.from ? 1 : -1;
  for (let n = part.from; step > 0 ? n <= part.to : n >= part.to; n += step) {
    yield* expand(parts, index + 1, prefix + String(n).padStart(part.width, "0"));
  }
}
