// What an error shows a logger: plain data (JSON.stringify, pino) and a short util.inspect, secrets already removed.
import { Element } from "@xmpp/xml";
import type { InspectFunction } from "./inspect.js";
import { redactElement } from "./redact.js";

/** How deep causes (and causes of causes) are followed: a cause chain may loop. */
const MAX_DEPTH = 5;

/** The JSON of an `XmppError`: name and message, then its public fields (`code`, `condition`, `hint`…). */
export interface XmppErrorJson {
  name: string;
  message: string;
  [field: string]: unknown;
}

/**
 * `err` as plain data: name, message, every own enumerable field (an element as its redacted XML text),
 * and the cause the same way. The fields of an `XmppError` never hold a secret: they are scrubbed when it is made.
 */
export function errorToJson(err: Error, depth = 0): XmppErrorJson {
  const json: XmppErrorJson = { name: err.name, message: err.message };
  // The base class's `hint` is set first; it reads best after the subclass's own fields.
  const { hint, ...fields } = Object.fromEntries(Object.entries(err)) as Record<string, unknown>;
  for (const [key, value] of Object.entries({ ...fields, hint })) {
    if (key === "name" || key === "message" || value === undefined) continue;
    json[key] = jsonValue(value, depth + 1);
  }
  if (err.cause !== undefined && depth < MAX_DEPTH) json.cause = jsonValue(err.cause, depth + 1);
  return json;
}

/**
 * An error from elsewhere (Node's socket and TLS errors, say): name, message and its plain fields (`code`,
 * `syscall`, `reason`…). Not its objects: a TLS error carries the whole peer certificate.
 */
function foreignErrorJson(err: Error): XmppErrorJson {
  const json: XmppErrorJson = { name: err.name, message: err.message };
  for (const [key, value] of Object.entries(err)) {
    if (["string", "number", "boolean"].includes(typeof value) && key !== "name" && key !== "message")
      json[key] = value;
  }
  return json;
}

function jsonValue(value: unknown, depth: number): unknown {
  if (value instanceof Element) return redactElement(value).toString();
  if (value instanceof Error) {
    if (depth > MAX_DEPTH) return `${value.name}: ${value.message}`;
    // Ours (they have toJSON) in full, with the depth carried on: a cause chain may loop.
    return "toJSON" in value && typeof value.toJSON === "function"
      ? errorToJson(value, depth)
      : foreignErrorJson(value);
  }
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((item) => jsonValue(item, depth + 1));
  if (typeof value === "object" && value !== null) {
    if (depth > MAX_DEPTH) return "[object]";
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v, depth + 1)]));
  }
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value === "bigint") return String(value);
  return value;
}

/** util.inspect of an error: its stack, then its JSON fields (no element tree, no parent links). */
export function inspectError(err: Error & { toJSON(): XmppErrorJson }, options: object, inspect: InspectFunction) {
  const { name: _name, message: _message, ...fields } = err.toJSON();
  const own = err as unknown as Record<string, unknown>;
  // An element shows as the start of its XML text (RedactedElement's own inspection), not all of it.
  for (const key of Object.keys(fields)) {
    const value = own[key];
    if (value instanceof Element) fields[key] = redactElement(value);
  }
  const head = err.stack ?? `${err.name}: ${err.message}`;
  return Object.keys(fields).length === 0 ? head : `${head} ${inspect(fields, options)}`;
}
