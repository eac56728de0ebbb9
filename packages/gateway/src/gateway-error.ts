// What a gateway request can end in besides success: one class, its HTTP status and a stable code, so the JSON API
// and the pages answer alike (docs/gateway.md#the-json-api). Messages name the field or limit, never a value.

/** The stable `error` codes of the JSON API, with their HTTP status. */
export const GATEWAY_ERRORS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  taken: 409,
  link_used: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  backend_failed: 502,
  mail_failed: 502,
  not_configured: 503,
} as const;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

/** A request the gateway refused or could not carry out. `status` is the HTTP status it answers with. */
export class GatewayError extends Error {
  override name = "GatewayError";
  readonly code: GatewayErrorCode;
  readonly status: number;
  /** For `rate_limited`: seconds until the limit lifts (the `Retry-After` header). */
  readonly retryAfter: number | undefined;
  /** The request field at fault, when one is. */
  readonly field: string | undefined;

  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { field?: string; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = GATEWAY_ERRORS[code];
    this.field = options.field;
    this.retryAfter = options.retryAfter;
  }

  /** The JSON body the API answers with: `{ status: "error", error, message, field? }`. */
  toJSON(): { status: "error"; error: GatewayErrorCode; message: string; field?: string } {
    return { status: "error", error: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

/** `err` as a GatewayError; anything else becomes `fallback` with a generic message (the cause kept, not shown). */
export function asGatewayError(err: unknown, fallback: GatewayErrorCode, message: string): GatewayError {
  return err instanceof GatewayError ? err : new GatewayError(fallback, message, { cause: err });
}
