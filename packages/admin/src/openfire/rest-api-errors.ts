// Openfire REST API failures: the status, and the ErrorResponse entity (RESTExceptionMapper.java;
// docs/provisioning.md#12-user-endpoints-and-errors).
import {
  BadRequestError,
  ConflictError,
  ItemNotFoundError,
  NotAuthorizedError,
  ServiceUnavailableError,
  scrubText,
} from "@reguser/errors";
import type { HttpReply } from "../http.js";
import { foreignReplyError, missingPluginError, redirectError, serverError } from "./container-reply.js";
import { OpenfireError } from "./errors.js";

/** `{"resource","message","exception"}` in JSON, `<error><resource/><message/><exception/></error>` in XML. */
export interface ErrorEntity {
  exception?: string | undefined;
  message?: string | undefined;
  resource?: string | undefined;
}

const FIELDS = ["exception", "message", "resource"] as const;

/**
 * Read the REST API plugin's error entity from a reply body, in JSON or XML by `mediaType`; undefined when it has
 * neither an exception nor a message.
 */
export function parseErrorEntity(body: string, mediaType: string): ErrorEntity | undefined {
  const entity: ErrorEntity = {};
  if (mediaType === "application/json" || mediaType.endsWith("+json")) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return undefined;
    }
    if (typeof json !== "object" || json === null) return undefined;
    for (const field of FIELDS) {
      const value = (json as Record<string, unknown>)[field];
      if (typeof value === "string") entity[field] = value;
    }
  } else if (mediaType === "application/xml" || mediaType === "text/xml") {
    const error = /<error>([\s\S]*)<\/error>/.exec(body)?.[1];
    if (error === undefined) return undefined;
    for (const field of FIELDS) {
      const value = new RegExp(`<${field}>([^<]*)</${field}>`).exec(error)?.[1];
      if (value !== undefined) entity[field] = unescapeXml(value);
    }
  }
  return entity.exception || entity.message ? entity : undefined;
}

const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const unescapeXml = (text: string) =>
  text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (all, name: string) => {
    if (name[0] !== "#") return XML_ENTITIES[name.toLowerCase()] ?? all;
    const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });

/** A failed reply as a typed error (docs/provisioning.md#1-openfire-rest-api); 401 and 403 bodies are not read. */
export function restApiError(reply: HttpReply, operation: string, url: string, secrets: readonly string[]): Error {
  const { status } = reply;
  const context = { where: operation, url, secrets };
  const scrub = (text: string) => scrubText(text, secrets);
  const redirected = redirectError(reply, context);
  if (redirected) return redirected;
  if (status === 401) {
    return new NotAuthorizedError({
      text: `${operation}: HTTP 401`,
      hint: "the secret (or the admin's Basic credentials) is wrong, the plugin uses the other authentication mode, or this address is not in its allowed IP addresses",
    });
  }
  if (status === 403) {
    return new ServiceUnavailableError({
      text: `${operation}: HTTP 403`,
      hint: "the REST API plugin is disabled (admin console: Server > Server Settings > REST API)",
    });
  }
  const entity = parseErrorEntity(reply.body, reply.mediaType);
  if (!entity && status === 404) {
    return missingPluginError(
      reply,
      context,
      "is the REST API plugin installed, and is baseUrl the admin console (port 9090)?",
    );
  }
  const exception = entity?.exception ? scrub(entity.exception) : undefined;
  const detail = entity ? scrub(entity.message || "failed") : `HTTP ${status}`;
  const text = `${operation}: ${detail}${exception ? ` [${exception}]` : ""}`;
  const cause = entity
    ? new OpenfireError({
        exception: exception ?? "unknown",
        text: entity.message === undefined ? undefined : scrub(entity.message),
        resource: entity.resource === undefined ? undefined : scrub(entity.resource),
        status,
      })
    : undefined;
  switch (status) {
    case 400:
      return new BadRequestError({ text, cause });
    case 404:
      return new ItemNotFoundError({ text, cause });
    case 409:
      return new ConflictError({ text, cause });
  }
  return (
    serverError(status, text, cause) ??
    foreignReplyError(reply, context, `${operation}: a status the plugin does not send`)
  );
}
