// The root of every error the library throws, and the errors that are not stanza or stream errors.
import { errorToJson, inspectError, type XmppErrorJson } from "./error-json.js";
import { INSPECT, type InspectFunction } from "./inspect.js";

/** Node's inspect symbol, widened so that the declarations of subclasses need not name it. */
const inspectKey: symbol = INSPECT;

export interface XmppErrorOptions {
  /** The error that led to this one (a socket error, xmpp.js's own error…), kept as `cause`. */
  cause?: unknown;
  /** What to change, where the fix is known: appended to the message and kept as `hint`. */
  hint?: string | undefined;
}

/**
 * Base class: every rejection from reguser is an `XmppError`. `JSON.stringify(err)` and loggers get
 * `toJSON()`; `util.inspect(err)` shows the stack and those fields, never a whole element tree.
 */
export class XmppError extends Error {
  override name = "XmppError";
  /** What to change, where the fix is known (also at the end of `message`). */
  readonly hint: string | undefined;
  constructor(message: string, options: XmppErrorOptions = {}) {
    super(
      options.hint ? `${message}: ${options.hint}` : message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.hint = options.hint;
  }

  /**
   * Plain data for logs: `name`, `message`, the public fields (`code`, `condition`, `type`, `text`, `hint`,
   * `timeout`…), `element` as redacted XML text, and `cause` the same way. Holds no secret.
   */
  toJSON(): XmppErrorJson {
    return errorToJson(this);
  }

  /** util.inspect: the stack, then the fields of `toJSON()`. */
  [inspectKey](_depth: number, options: object, inspect: InspectFunction): string {
    return inspectError(this, options, inspect);
  }
}

/** A request got no answer in time. */
export class TimeoutError extends XmppError {
  override name = "TimeoutError";
  readonly operation: string;
  readonly timeout: number;
  constructor(operation: string, timeout: number) {
    super(`${operation} timed out after ${timeout} ms`);
    this.operation = operation;
    this.timeout = timeout;
  }
}

export interface ConnectionErrorOptions extends XmppErrorOptions {
  /** The server or the network ended a connection that was up (not a failed connect, not a close of ours). */
  lost?: boolean | undefined;
}

/** The TCP/TLS connection failed, was refused, or dropped. */
export class ConnectionError extends XmppError {
  override name = "ConnectionError";
  /** `true` when the server or the network ended a connection that was up; a fresh connection may well work. */
  readonly lost: true | undefined;
  constructor(message: string, options: ConnectionErrorOptions = {}) {
    super(message, options);
    this.lost = options.lost ? true : undefined;
  }
}

/** The peer broke the protocol: an unparsable, unexpected or impossible reply. */
export class ProtocolError extends XmppError {
  override name = "ProtocolError";
}

/** A configured limit (stanza size, pending requests, hash work) was exceeded. */
export class LimitExceededError extends XmppError {
  override name = "LimitExceededError";
  readonly limit: string;
  readonly value: number;
  readonly max: number;
  constructor(limit: string, value: number, max: number, message?: string) {
    super(message ?? `${limit} limit exceeded: ${value} > ${max}`);
    this.limit = limit;
    this.value = value;
    this.max = max;
  }
}

/** Refused to send a plaintext secret over an unencrypted stream to a remote host. */
export class InsecureConnectionError extends XmppError {
  override name = "InsecureConnectionError";
}

/** TLS was required but could not be had (not offered, or a downgrade). */
export class TlsRequiredError extends XmppError {
  override name = "TlsRequiredError";
}

/** The requested authentication method is not offered by the server. */
export class AuthMethodUnavailableError extends XmppError {
  override name = "AuthMethodUnavailableError";
  readonly method: string;
  readonly offered: readonly string[];
  constructor(method: string, offered: readonly string[]) {
    super(`Authentication method '${method}' is not offered by the server (offered: ${offered.join(", ") || "none"})`);
    this.method = method;
    this.offered = offered;
  }
}

/** A password that SASLprep would change or prohibit (it could never log in with SASL). */
export class PasswordPreparationError extends XmppError {
  override name = "PasswordPreparationError";
}

/** A value holds a character XML 1.0 cannot carry (a control character, a lone surrogate, U+FFFE/U+FFFF). */
export class InvalidXmlCharacterError extends XmppError {
  override name = "InvalidXmlCharacterError";
  /** The field the value was meant for (`username`, `password`…). */
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** The operation was aborted through its AbortSignal. */
export class AbortError extends XmppError {
  override name = "AbortError";
  constructor(reason?: unknown) {
    super("The operation was aborted", { cause: reason });
  }
}
