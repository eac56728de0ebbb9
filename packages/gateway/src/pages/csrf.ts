// CSRF protection for the pages' forms: a random cookie (SameSite=Strict, HttpOnly) and, in the form, its HMAC
// under the gateway's secret. A cross-site form can neither read the cookie nor forge the field; a form from
// another instance behind the same balancer checks, since they share the secret.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { GatewayError } from "../gateway-error.js";

/** The cookie's name: the `__Host-` prefix where the gateway is served over HTTPS. */
export function csrfCookieName(secure: boolean): string {
  return secure ? "__Host-reguser_csrf" : "reguser_csrf";
}

/** The cookie of `request`, or a new one with its Set-Cookie header, and the form field that goes with it. */
export function csrfFor(
  request: IncomingMessage,
  secret: Uint8Array,
  secure: boolean,
): { field: string; setCookie?: string } {
  const name = csrfCookieName(secure);
  const existing = readCookie(request, name);
  if (existing) return { field: fieldFor(secret, existing) };
  const cookie = randomBytes(24).toString("base64url");
  const attributes = `Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
  return { field: fieldFor(secret, cookie), setCookie: `${name}=${cookie}; ${attributes}` };
}

/** Throws a `forbidden` GatewayError unless the form's `field` belongs to the request's cookie. */
export function checkCsrf(request: IncomingMessage, secret: Uint8Array, secure: boolean, field: unknown): void {
  const cookie = readCookie(request, csrfCookieName(secure));
  const refused = () =>
    new GatewayError("forbidden", "This form has expired or came from another site: reload the page and try again");
  if (!cookie || typeof field !== "string") throw refused();
  const expected = Buffer.from(fieldFor(secret, cookie));
  const given = Buffer.from(field);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused();
}

function fieldFor(secret: Uint8Array, cookie: string): string {
  return createHmac("sha256", secret).update(`csrf:${cookie}`).digest("base64url");
}

function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      const value = rest.join("=");
      return /^[\w-]{16,64}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
