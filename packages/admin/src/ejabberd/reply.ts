// ejabberd mod_http_api replies (format_command_result, format_error_result): a 200's JSON value, and every failure
// as a typed error (docs/provisioning.md#412-replies-and-errors).
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InternalServerError,
  ItemNotFoundError,
  JidMalformedError,
  NotAcceptableError,
  NotAuthorizedError,
  ServiceUnavailableError,
  scrubText,
} from "@reguser/errors";
import type { HttpReply } from "../http.js";
import { UnexpectedResponseError } from "../unexpected-response.js";
import { EjabberdApiError, EjabberdConfigurationError } from "./errors.js";
import { EJABBERD_API_PATH } from "./options.js";

/** One command, as its errors name it. */
export interface CommandContext {
  /** e.g. `ejabberd HTTP API register "juliet"`; also the `operation` of a `TimeoutError`. Never the URL. */
  where: string;
  command: string;
  /** The account the command is about, `juliet@example.com`. */
  jid: string;
  host: string;
  adminJid: string;
  /** Every form of every secret the request carried (`secretForms`), scrubbed from any text quoted. */
  secrets: readonly string[];
}

/** The value of a 200 reply (a JSON string or number); anything else is `failure()`'s to explain. */
export function resultOf(reply: HttpReply, context: CommandContext): unknown {
  const value = reply.status === 200 ? jsonOf(reply) : undefined;
  if (value === undefined) throw failure(reply, context);
  return value;
}

/** A 200 whose value is not what the command answers (rescode 0/1, a message string): `UnexpectedResponseError`. */
export function unexpected(reply: HttpReply, context: CommandContext): UnexpectedResponseError {
  return new UnexpectedResponseError(`${context.where}: not what ${context.command} answers`, {
    status: reply.status,
    body: quoted(reply.body, context),
  });
}

/** What a reply other than a 200 with JSON means, as the most specific typed error. */
export function failure(reply: HttpReply, context: CommandContext): Error {
  const { status } = reply;
  const { where } = context;
  if (reply.mediaType === "text/html") return htmlPage(reply, context);
  const reported = failureOf(jsonOf(reply));
  const code = reported?.code;
  const text = reported?.text === undefined ? undefined : scrubText(reported.text, context.secrets);
  const cause = reported && new EjabberdApiError({ where, status, code, text });
  if (status === 401) {
    return new NotAuthorizedError({ text: `${where}: HTTP 401`, hint: credentialsHint(context), cause });
  }
  if (!reported) {
    if (status === 403) return new ForbiddenError({ text: `${where}: HTTP 403` });
    return status >= 500 ? serverError(status, `${where}: HTTP ${status}`) : unexpected(reply, context);
  }
  const said = `${where}: ${text ?? `HTTP ${status}`}`;
  if (status === 403) {
    return new ForbiddenError({ text: said, hint: code === 32 ? permissionsHint(context) : undefined, cause });
  }
  if (text === "Unknown virtual host") {
    return new EjabberdConfigurationError({ where, status, code, text, hint: hostHint(context) });
  }
  if (status === 409 && code === 10090) return new ConflictError({ text: said, cause });
  if (status === 404 && text === "unknown_user") {
    return new ItemNotFoundError({ text: `${where}: no account ${context.jid}`, cause });
  }
  if (code === 40) {
    const hint = status === 404 ? commandHint(context) : BASE_URL_HINT;
    return new EjabberdConfigurationError({ where, status, code, text, hint });
  }
  if (status === 500 && text?.endsWith("Malformed username")) return new JidMalformedError({ text: said, cause });
  // register says it in a 500 (code 10001), change_password in a 400.
  if (
    (status === 500 && text?.endsWith("unacceptable characters")) ||
    (status === 400 && text === "invalid_password")
  ) {
    return new NotAcceptableError({ text: said, hint: PASSWORD_HINT, cause });
  }
  if (status === 400) return new BadRequestError({ text: said, cause });
  if (status >= 500) return serverError(status, said, cause);
  // Another failure in mod_http_api's own shape (a 404 of some other command, say).
  return new EjabberdApiError({ where, status, code, text });
}

/** `{"status":"error","code":N,"message":"…"}`, or the bare string some failures are (`"unknown_user"`). */
function failureOf(value: unknown): { code?: number; text?: string } | undefined {
  if (typeof value === "string") return { text: value };
  if (typeof value !== "object" || value === null || (value as { status?: unknown }).status !== "error") {
    return undefined;
  }
  const { code, message } = value as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === "number" ? { code } : {}),
    ...(typeof message === "string" ? { text: message } : {}),
  };
}

/** mod_http_api always answers `application/json`; undefined for another type or a body that does not parse. */
function jsonOf(reply: HttpReply): unknown {
  if (reply.mediaType !== "application/json") return undefined;
  try {
    return JSON.parse(reply.body) as unknown;
  } catch {
    return undefined;
  }
}

function htmlPage(reply: HttpReply, context: CommandContext): EjabberdConfigurationError {
  const { where } = context;
  const at = `${EJABBERD_API_PATH}/${context.command}`;
  const text = reply.status === 404 ? `nothing serves ${at}` : "an HTML page answered, not mod_http_api";
  return new EjabberdConfigurationError({
    where,
    status: reply.status,
    text,
    hint: reply.status === 404 ? HANDLER_HINT : undefined,
  });
}

function serverError(status: number, text: string, cause?: unknown): Error {
  return status === 503 ? new ServiceUnavailableError({ text, cause }) : new InternalServerError({ text, cause });
}

/** The start of a body for an error message, secrets removed. */
function quoted(body: string, context: CommandContext): string {
  return scrubText(body, context.secrets).slice(0, 200);
}

const HANDLER_HINT =
  "baseUrl must be the root of an ejabberd_http listener with request_handlers: {/api: mod_http_api} (without /api)";
const BASE_URL_HINT = "baseUrl must be the listener's root, without /api: the command goes right after /api/";
const PASSWORD_HINT =
  "ejabberd refuses an empty password, and one that SASLprep would reject or that holds characters unassigned in Unicode 3.2";

const credentialsHint = (context: CommandContext) =>
  `ejabberd did not accept the admin credentials: admin must be an existing account (${context.adminJid}) and its password`;

const permissionsHint = (context: CommandContext) =>
  `ejabberd's api_permissions do not let ${context.adminJid} call ${context.command} over mod_http_api: add an entry ` +
  "with from: [mod_http_api], who: {access: {allow: [{acl: admin}]}} and what: [register, unregister, " +
  `change_password, check_account], and list ${context.adminJid} in the admin acl (acl: {admin: {user: [...]}})`;

const hostHint = (context: CommandContext) =>
  `the "host" option (${JSON.stringify(context.host)}) is not one of ejabberd's virtual hosts (hosts: in ejabberd.yml)`;

const commandHint = (context: CommandContext) =>
  `mod_http_api knows no command ${context.command}: change_password and check_account come from mod_admin_extra, ` +
  "which must be in modules:";
