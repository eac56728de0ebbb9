// Why a request body was refused: one reason per way a client can fail to send one, so each service answers
// with its own error class and the HTTP status that goes with the reason.

/** Why `readBody` refused a body. */
export const BodyErrorReason = {
  /** The Content-Type is not the one the route takes (415). */
  MediaType: "media_type",
  /** Content-Length, or the bytes that came, exceed `maxBytes` (413). */
  TooLarge: "too_large",
  /** The whole body did not arrive within `timeout` ms (408). */
  Timeout: "timeout",
  /** The bytes are not valid UTF-8 (400). */
  BadEncoding: "bad_encoding",
  /** The client went away, or the socket failed, before the body ended (400). */
  Unreadable: "unreadable",
} as const;
export type BodyErrorReason = (typeof BodyErrorReason)[keyof typeof BodyErrorReason];

/** The HTTP status that answers each reason. */
export const BODY_ERROR_STATUS: Readonly<Record<BodyErrorReason, number>> = {
  media_type: 415,
  too_large: 413,
  timeout: 408,
  bad_encoding: 400,
  unreadable: 400,
};

/** A body `readBody` would not take. The message names the limit or media type, never a byte of the body. */
export class BodyError extends Error {
  override name = "BodyError";
  readonly reason: BodyErrorReason;
  /** The HTTP status for `reason`. */
  readonly status: number;

  constructor(reason: BodyErrorReason, message: string) {
    super(message);
    this.reason = reason;
    this.status = BODY_ERROR_STATUS[reason];
  }
}
