// What answers an Openfire plugin's URL when the plugin does not – the admin console's login redirect, a 404 with
// no plugin behind it, a 5xx, an HTML page – as typed errors, the same for both plugins
// (docs/provisioning.md#11-address-auth-setup, docs/provisioning.md#22-requests-and-replies).
import { InternalServerError, ServiceUnavailableError, scrubText } from "@reguser/errors";
import type { HttpReply } from "../http.js";
import { UnexpectedResponseError } from "../unexpected-response.js";
import { OpenfireConfigurationError } from "./errors.js";

/** One request, as its errors name it. */
export interface ReplyContext {
  /** Names the call in messages, e.g. `Openfire REST API createUser "juliet"`. Never the URL. */
  where: string;
  /** The request URL: a redirect is resolved against it, a 404 names its path (never the query: it may hold the secret). */
  url: string;
  /** Every form of the secrets this request carried (`secretForms`), scrubbed from any body quoted. */
  secrets: readonly string[];
}

const LOGIN_REDIRECT =
  "Openfire sends plugin requests to its login page when adminConsole.access.allow-wildcards-in-excludes is not true";

/** A 3xx: Openfire's login page (docs/provisioning.md#11-address-auth-setup), reported by its path only. */
export function redirectError(reply: HttpReply, context: ReplyContext): OpenfireConfigurationError | undefined {
  const { status } = reply;
  if (status < 300 || status >= 400) return undefined;
  return new OpenfireConfigurationError(
    `${context.where}: redirected to ${redirectTarget(reply.location, context.url)}`,
    {
      status,
      hint: LOGIN_REDIRECT,
    },
  );
}

/** A 404 that no plugin wrote: nothing is installed at the path; `hint` says which plugin was expected. */
export function missingPluginError(reply: HttpReply, context: ReplyContext, hint: string): OpenfireConfigurationError {
  const path = new URL(context.url).pathname;
  return new OpenfireConfigurationError(`${context.where}: nothing at ${path} (HTTP ${reply.status})`, {
    status: reply.status,
    hint,
  });
}

/** A 5xx: 503 is `ServiceUnavailableError`, any other `InternalServerError`; undefined below 500. */
export function serverError(status: number, text: string, cause?: unknown): Error | undefined {
  if (status === 503) return new ServiceUnavailableError({ text, cause });
  if (status >= 500) return new InternalServerError({ text, cause });
  return undefined;
}

/** A reply in no shape the plugin writes: an HTML page (a proxy, the console), else `UnexpectedResponseError`. */
export function foreignReplyError(reply: HttpReply, context: ReplyContext, text: string): Error {
  if (reply.mediaType === "text/html") {
    return new OpenfireConfigurationError(`${context.where}: an HTML page answered, not the plugin`, {
      status: reply.status,
    });
  }
  return new UnexpectedResponseError(text, { status: reply.status, body: quotedBody(reply.body, context.secrets) });
}

/** The start of a body for an error message, secrets removed. */
export function quotedBody(body: string, secrets: readonly string[]): string {
  return scrubText(body, secrets).slice(0, 200);
}

/** Where a redirect points, path only: Openfire's login redirect quotes the whole request URL, secret included. */
function redirectTarget(location: string | undefined, from: string): string {
  if (!location) return "nowhere";
  try {
    return new URL(location, from).pathname;
  } catch {
    return "an unreadable location";
  }
}
