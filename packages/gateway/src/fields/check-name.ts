// A display name goes into a mail's subject and body: no line breaks (header injection), no controls, bounded.
import { GatewayError } from "../gateway-error.js";

export const MAX_NAME_LENGTH = 200;

/** Returns `name` trimmed when it is a safe display name; throws a `bad_request` GatewayError otherwise. */
export function checkName(name: string, field = "name"): string {
  const bad = (why: string) => new GatewayError("bad_request", `The ${field} ${why}`, { field });
  if (/[\r\n]/.test(name)) throw bad("may not contain a line break");
  if (/\p{Cc}/u.test(name)) throw bad("may not contain control characters");
  // Bidirectional overrides and isolates make a mail read other than it is written (a name that shows reversed).
  if (/[\u202a-\u202e\u2066-\u2069]/.test(name)) throw bad("may not contain bidirectional override characters");
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name)) {
    throw bad("is not well-formed Unicode (a lone surrogate)");
  }
  if (name.length > MAX_NAME_LENGTH) throw bad(`is longer than ${MAX_NAME_LENGTH} characters`);
  return name.trim();
}
