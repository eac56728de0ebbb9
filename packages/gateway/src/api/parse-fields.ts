// A body's fields as the gateway allows them: only the names it knows, each a string, each checked by its rule.
// An unknown field is refused, not ignored: a client that misspells `email` learns so at once.
import { GatewayError } from "../gateway-error.js";

/** `fields` of `value` (a parsed JSON object or form), every one a string; throws a `bad_request` GatewayError. */
export function pickStrings<K extends string>(
  value: unknown,
  allowed: readonly K[],
  required: readonly K[],
): Partial<Record<K, string>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GatewayError("bad_request", "The body must be a JSON object");
  }
  const out: Partial<Record<K, string>> = {};
  for (const [key, given] of Object.entries(value)) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw new GatewayError("bad_request", `Unknown field "${key.slice(0, 40)}": allowed are ${allowed.join(", ")}`, {
        field: key.slice(0, 40),
      });
    }
    if (typeof given !== "string") {
      throw new GatewayError("bad_request", `The ${key} must be a string`, { field: key });
    }
    out[key as K] = given;
  }
  for (const key of required) {
    if (!out[key]) throw new GatewayError("bad_request", `The ${key} is required`, { field: key });
  }
  return out;
}

/** `text` parsed as JSON; a `bad_request` GatewayError when it is not, or names a top-level field twice. */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError("bad_request", "The body is not valid JSON");
  }
  // JSON.parse keeps the last of two equal keys; a proxy or log in front may read the first. Refused, as in forms.
  const twice = duplicateKey(text);
  if (twice !== undefined) throw new GatewayError("bad_request", `The field "${twice.slice(0, 40)}" is given twice`);
  return value;
}

/** The first key that the top-level object of `text` (valid JSON) names twice, escapes decoded. */
function duplicateKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      let next = end + 1;
      while (text[next] === " " || text[next] === "\t" || text[next] === "\n" || text[next] === "\r") next++;
      // A string at the top level followed by a colon is a key.
      if (depth === 1 && text[next] === ":") {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
      }
      i = end;
    }
  }
  return undefined;
}

/** A URL-encoded form as an object; a field given twice is refused. */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (key in out) throw new GatewayError("bad_request", `The field "${key.slice(0, 40)}" is given twice`);
    out[key] = value;
  }
  return out;
}
