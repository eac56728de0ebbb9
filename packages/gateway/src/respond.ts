// Every answer the gateway writes: JSON or HTML, with headers that keep pages out of caches, frames and referrers.
import type { ServerResponse } from "node:http";
import type { GatewayError } from "./gateway-error.js";

const COMMON = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

const PAGE_POLICY =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'";

/** Write `body` as JSON with `status`; a refusal adds Retry-After, and closes a connection whose body was refused. */
export function sendJson(response: ServerResponse, status: number, body: unknown, error?: GatewayError): void {
  send(response, status, "application/json; charset=utf-8", JSON.stringify(body), error);
}

/** Write a whole HTML page. */
export function sendHtml(
  response: ServerResponse,
  status: number,
  html: string,
  extra: Record<string, string> = {},
  error?: GatewayError,
): void {
  for (const [name, value] of Object.entries(extra)) response.setHeader(name, value);
  response.setHeader("content-security-policy", PAGE_POLICY);
  response.setHeader("x-frame-options", "DENY");
  send(response, status, "text/html; charset=utf-8", html, error);
}

/** Write a static asset (stylesheet, script). */
export function sendAsset(response: ServerResponse, type: string, text: string): void {
  send(response, 200, type, text);
}

function send(response: ServerResponse, status: number, type: string, text: string, error?: GatewayError): void {
  if (response.headersSent || response.destroyed) return;
  const headers: Record<string, string | number> = { ...COMMON, "content-type": type };
  if (error?.retryAfter !== undefined) headers["retry-after"] = error.retryAfter;
  // After a body we stopped reading (too large, too slow, or never started on: 404, 405), the connection cannot
  // carry another request; keeping it would have Node read and discard the rest, however long it is.
  const unread = response.req?.complete === false;
  if (error && (unread || ["payload_too_large", "request_timeout", "unsupported_media_type"].includes(error.code))) {
    headers.connection = "close";
  }
  response.writeHead(status, headers).end(text);
}
