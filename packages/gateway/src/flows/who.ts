// Who asks: the client token's id (or the gateway's own page) and the client's address, for limits and the log.
import type { RateLimit } from "../client-tokens.js";

export interface Requester {
  /** The client token's id, or `page`. */
  client: string;
  /** The token's own limit, if it has one. */
  tokenLimit?: RateLimit;
  /** The client's IP address. */
  ip: string;
}
