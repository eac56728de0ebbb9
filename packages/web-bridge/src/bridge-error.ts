// What a bridge request can end in besides success: one class, its HTTP status and a stable code. Messages never
// hold a password, token or ticket, and say nothing about whether an account exists.

export const BRIDGE_ERRORS = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many: 429,
  internal: 500,
  xmpp_failed: 502,
  shutting_down: 503,
} as const;

export type BridgeErrorCode = keyof typeof BRIDGE_ERRORS;

/** A refused or failed bridge request; `status` is its HTTP status. */
export class BridgeError extends Error {
  override name = "BridgeError";
  readonly code: BridgeErrorCode;
  readonly status: number;

  constructor(code: BridgeErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = BRIDGE_ERRORS[code];
  }

  /** The JSON body: `{ status: "error", error, message }`. */
  toJSON(): { status: "error"; error: BridgeErrorCode; message: string } {
    return { status: "error", error: this.code, message: this.message };
  }
}

/** `err` as a BridgeError, or `fallback` with a fixed message (the cause kept, never shown). */
export function asBridgeError(err: unknown, fallback: BridgeErrorCode, message: string): BridgeError {
  return err instanceof BridgeError ? err : new BridgeError(fallback, message, { cause: err });
}
