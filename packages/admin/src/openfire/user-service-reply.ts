// Openfire User Service reply: `<result>ok</result>` or `<error>Name</error>` (UserServiceLegacy.java;
// docs/provisioning.md#22-requests-and-replies).
import { ConflictError, ItemNotFoundError, NotAuthorizedError, scrubText } from "@reguser/errors";
import type { HttpReply } from "../http.js";
import { UnexpectedResponseError } from "../unexpected-response.js";
import { foreignReplyError, missingPluginError, quotedBody, redirectError, serverError } from "./container-reply.js";
import { IllegalArgumentError, OpenfireError, SharedGroupError, UserServiceDisabledError } from "./errors.js";

export type UserServiceReply = { ok: true; result: string } | { ok: false; error: string };

/** The plugin prints one element and a newline; group names are not escaped, so this is text matching, not XML. */
export function parseUserServiceReply(body: string): UserServiceReply | undefined {
  const match = /^\s*(?:<\?xml[^>]*\?>\s*)?<(result|error)>([\s\S]*)<\/\1>\s*$/.exec(body);
  if (!match) return undefined;
  const text = match[2]!;
  return match[1] === "result" ? { ok: true, result: text } : { ok: false, error: text.trim() };
}

/** The plugin's code says `ok`, its readme `OK`. */
const isOk = (reply: UserServiceReply): boolean => reply.ok && reply.result.trim().toLowerCase() === "ok";

/** One request to the plugin, as its errors name it. */
export interface RequestContext {
  type: string;
  username: string;
  itemJid?: string | undefined;
}

/** An `<error/>` text as a typed error: the names the readme lists, then any `e.toString()` as `OpenfireError`. */
export function userServiceError(error: string, request: RequestContext, secrets: readonly string[]): Error {
  const { type, username, itemJid } = request;
  const what = `User Service ${type} ${JSON.stringify(username)}${itemJid ? ` item ${JSON.stringify(itemJid)}` : ""}`;
  const text = (words: string) => scrubText(`${what}: ${words}`, secrets);
  const named = (exception: string) => new OpenfireError({ exception, status: 200 });
  switch (error) {
    case "UserAlreadyExistsException":
      return new ConflictError({
        text: text(type === "add_roster" ? "the roster already has this item" : "the user already exists"),
        cause: named(error),
      });
    case "UserNotFoundException":
      return new ItemNotFoundError({
        text: text(type === "update_roster" ? "no such user, or no such roster item" : "no such user"),
        cause: named(error),
      });
    case "RequestNotAuthorised":
      return new NotAuthorizedError({
        text: text("request not authorised"),
        hint: "the secret is wrong, or this address is not in the plugin's allowed IP addresses",
        cause: named(error),
      });
    case "UserServiceDisabled":
      return new UserServiceDisabledError({
        text: text("the User Service is disabled"),
        hint: "enable it in the admin console (Server > Server Settings)",
      });
    case "IllegalArgumentException":
      return new IllegalArgumentError({ text: text("a parameter was missing or not valid") });
    case "SharedGroupException":
      return new SharedGroupError({ text: text("roster items of a shared group cannot be added or removed here") });
    default: {
      // `e.toString()`: "java.lang.Foo: message" or just the class name.
      const colon = error.indexOf(":");
      const exception = scrubText(colon < 0 ? error : error.slice(0, colon), secrets);
      const message = colon < 0 ? "" : error.slice(colon + 1).trim();
      if (!/^[\w.$]+$/.test(exception)) {
        return new UnexpectedResponseError(text("an <error/> the plugin does not send"), {
          status: 200,
          body: scrubText(error, secrets).slice(0, 200),
        });
      }
      return new OpenfireError({ exception, text: text(message || "failed"), status: 200 });
    }
  }
}

/**
 * Throws the typed error for anything but `<result>ok</result>`. Every plugin reply is HTTP 200
 * (docs/provisioning.md#22-requests-and-replies); other statuses come from the container or a proxy.
 */
export function checkUserServiceReply(
  reply: HttpReply,
  request: RequestContext,
  url: string,
  secrets: readonly string[],
): void {
  const where = `User Service ${request.type}`;
  const context = { where, url, secrets };
  const { status, body } = reply;
  const failed =
    redirectError(reply, context) ??
    (status === 404
      ? missingPluginError(
          reply,
          context,
          "is the User Service plugin installed? The REST API plugin's copy is at USER_SERVICE_PATHS.restApi",
        )
      : serverError(status, `${where}: HTTP ${status}`));
  if (failed) throw failed;
  const parsed = status === 200 ? parseUserServiceReply(body) : undefined;
  if (parsed === undefined) {
    const text = body.trim() === "" ? `${where}: no reply (the plugin answers unknown types so)` : `${where}: no reply`;
    throw foreignReplyError(reply, context, text);
  }
  if (!parsed.ok) throw userServiceError(parsed.error, request, secrets);
  if (!isOk(parsed)) {
    throw new UnexpectedResponseError(`${where}: a result other than ok`, { status, body: quotedBody(body, secrets) });
  }
}
