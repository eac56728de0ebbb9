// The values a request carries, checked before anything reaches the XMPP server.
import { BridgeError } from "./bridge-error.js";

const LOCALPART = /^[^\s"&'/:<>@\p{C}]{1,1023}$/u;
const JID = /^(?:[^\s"&'/:<>@\p{C}]{1,1023}@)?[^\s/@\p{C}]{1,1023}(?:\/[^\p{C}]{1,1023})?$/u;
/** Characters XML 1.0 cannot carry at all: sent, they would make the server close the stream. */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls XML refuses are exactly what is matched
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MESSAGE_TYPES = ["chat", "normal", "headline"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** The username of a path segment, decoded; a 400 when it is no JID localpart. */
export function usernameOf(segment: string): string {
  let username: string;
  try {
    username = decodeURIComponent(segment);
  } catch {
    throw new BridgeError("bad_request", "The username is not valid percent-encoding");
  }
  if (!LOCALPART.test(username)) {
    throw new BridgeError("bad_request", "The username must be a JID localpart (no spaces or \" & ' / : < > @)");
  }
  return username;
}

/** `POST /message`'s JSON: `{ to, body, type? }`; a 400 for anything else. */
export function messageOf(text: string): { to: string; body: string; type: MessageType } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BridgeError("bad_request", "The body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BridgeError("bad_request", "The body must be a JSON object { to, body, type }");
  }
  const { to, body, type = "chat", ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new BridgeError("bad_request", `Unknown field "${unknown[0]?.slice(0, 40)}": allowed are to, body, type`);
  if (typeof to !== "string" || !JID.test(to))
    throw new BridgeError("bad_request", "to must be a JID such as juliet@example.org");
  if (typeof body !== "string" || body.length === 0)
    throw new BridgeError("bad_request", "body must be a non-empty string");
  if (NOT_XML.test(body))
    throw new BridgeError("bad_request", "body holds a character XML cannot carry (a control character)");
  if (typeof type !== "string" || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw new BridgeError("bad_request", "type must be chat, normal or headline");
  }
  return { to, body, type: type as MessageType };
}
