// One HTTP exchange with an admin API (Openfire's plugins, ejabberd's mod_http_api) over Node's fetch: time limit,
// size limit, failures typed, secrets scrubbed.
import { AbortError, ConnectionError, LimitExceededError, scrubText, TimeoutError } from "@reguser/errors";

/** Admin API replies are a few hundred bytes; anything near this is not the API talking. */
export const MAX_REPLY_BYTES = 1 << 20;
export const DEFAULT_TIMEOUT = 10_000;

export interface HttpCall {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams | undefined;
  /** Names the call in errors, e.g. `Openfire User Service add`. Never the URL: it may hold the secret. */
  operation: string;
  timeout: number;
  /** Raw values to keep out of every error; their URL and JSON encodings are removed too. */
  secrets: readonly (string | undefined)[];
  /** Aborted by the provisioner's `close()`. */
  signal: AbortSignal;
}

export interface HttpReply {
  status: number;
  /** The media type, lower case, without parameters. */
  mediaType: string;
  location: string | undefined;
  body: string;
}

export function checkTimeout(timeout: number | undefined): number {
  const value = timeout ?? DEFAULT_TIMEOUT;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`timeout must be a positive number of ms: ${value}`);
  return value;
}

export async function httpCall(call: HttpCall): Promise<HttpReply> {
  const timeout = AbortSignal.timeout(call.timeout);
  const signal = AbortSignal.any([timeout, call.signal]);
  const secrets = secretForms(call.secrets);
  try {
    const { method, headers, body } = call;
    // Redirects are answers here (Openfire's login page), not something to follow.
    const res = await fetch(call.url, { method, headers, body, signal, redirect: "manual" });
    return {
      status: res.status,
      mediaType: (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase(),
      location: res.headers.get("location") ?? undefined,
      body: await readLimited(res, call.operation),
    };
  } catch (err) {
    if (err instanceof LimitExceededError) throw err;
    if (call.signal.aborted) throw new AbortError(`${call.operation}: the provisioner was closed`);
    if (timeout.aborted) throw new TimeoutError(call.operation, call.timeout);
    const reason = describe(err);
    throw new ConnectionError(scrubText(`${call.operation} failed: ${reason}`, secrets), {
      cause: scrubbedCopy(err, secrets),
    });
  }
}

async function readLimited(res: Response, operation: string): Promise<string> {
  if (!res.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > MAX_REPLY_BYTES) {
      await res.body.cancel().catch(() => undefined);
      throw new LimitExceededError(`${operation} reply bytes`, size, MAX_REPLY_BYTES);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Each secret as typed, percent-encoded (path and form style) and JSON-escaped: the shapes a server may echo. */
export function secretForms(values: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ v: value }).toString().slice(2));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  // Longest first, so a short form never leaves part of a longer one behind.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** undici says "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    parts.push(e.message || (typeof code === "string" ? code : e.name));
  }
  return parts.filter((p, i) => p !== "fetch failed" || i === parts.length - 1).join(": ") || String(err);
}

/** A copy of an error chain with secrets removed from messages and stacks (undici quotes URLs in some errors). */
function scrubbedCopy(err: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof err === "string") return scrubText(err, secrets);
  if (!(err instanceof Error) || depth > 3) return undefined;
  const copy = new Error(scrubText(err.message, secrets), { cause: scrubbedCopy(err.cause, secrets, depth + 1) });
  copy.name = err.name;
  copy.stack = scrubText(err.stack ?? "", secrets);
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  return copy;
}
