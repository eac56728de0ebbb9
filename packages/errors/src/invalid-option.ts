// Arguments checked before anything is sent: a missing host must not mean localhost, a missing password no request.
import { XmppError } from "./xmpp-error.js";

/**
 * An option or argument is missing or of the wrong kind (a TypeError in spirit, an `XmppError` like every
 * rejection of reguser). Thrown before anything is sent; the message names the option and what was given
 * by its type only, never the value.
 */
export class InvalidOptionError extends XmppError {
  override name = "InvalidOptionError";
  /** The function that was called (`openStream`, `register`…). */
  readonly operation: string;
  /** The option or field at fault (`host`, `password`…). */
  readonly option: string;
  /** What was given, as a type: `undefined`, `an empty string`, `a number`; or what is wrong with it. */
  readonly received: string;
  /** `expected`: what the option must be, when not a non-empty string. */
  constructor(operation: string, option: string, received: string, expected = "a non-empty string") {
    super(`${operation}: the "${option}" option must be ${expected}, got ${received}`);
    this.operation = operation;
    this.option = option;
    this.received = received;
  }
}

/** Which options of an argument must be non-empty strings, and which may be left out but not empty. */
export interface TextOptions {
  /** Options that must be non-empty strings. */
  required: readonly string[];
  /** Options that may be left out, but must be non-empty strings when given. */
  optional?: readonly string[];
}

/**
 * Throws `InvalidOptionError` for the first required option of `given` that is not a non-empty string, or
 * optional one that is present but not one. `given` may be anything: a missing argument reads as all missing.
 */
export function requireTextOptions(operation: string, given: unknown, options: TextOptions): void {
  const values = (typeof given === "object" && given !== null ? given : {}) as Record<string, unknown>;
  for (const name of options.required) checkText(operation, name, values[name]);
  for (const name of options.optional ?? []) if (values[name] !== undefined) checkText(operation, name, values[name]);
}

function checkText(operation: string, option: string, value: unknown): void {
  if (typeof value === "string" && value !== "") return;
  throw new InvalidOptionError(operation, option, typeOf(value));
}

/** The kind of a value, in words; never the value itself (it may be a password). */
function typeOf(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (value === "") return "an empty string";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}
