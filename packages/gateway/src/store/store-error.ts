// The one error either store rejects with: what went wrong, what to check, and the driver's error as `cause`.

/** Why a store call failed. */
export const GatewayStoreErrorCode = {
  /** The store was closed before the call. */
  Closed: "closed",
  /** The database could not be opened, or Redis cannot be reached (refused, lost, timed out, wrong password). */
  Unavailable: "unavailable",
  /** The database or Redis refused the operation, or held a value the store cannot read. */
  Failed: "failed",
} as const;
export type GatewayStoreErrorCode = (typeof GatewayStoreErrorCode)[keyof typeof GatewayStoreErrorCode];

/**
 * A store call failed. The message names the file or the Redis `host:port` and what to check; it never contains a
 * password. The driver's own error is the `cause`.
 */
export class GatewayStoreError extends Error {
  override name = "GatewayStoreError";
  readonly code: GatewayStoreErrorCode;

  constructor(code: GatewayStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
