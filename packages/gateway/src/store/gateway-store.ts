// What the gateway keeps between requests: pending links, username reservations, rate-limit windows and the
// address each account it created was registered with. One interface, two stores: SQLite for one instance, Redis
// for several behind a load balancer (docs/gateway.md#stores). Time is always passed in, never read here.

/** What redeeming a link does: create the account, or set a new password on it. */
export type LinkPurpose = "create" | "reset";

/** A link sent by mail and not yet redeemed. Stored under the SHA-256 of its token, never the token itself. */
export interface PendingLink {
  purpose: LinkPurpose;
  /** The account's username (a JID localpart, already checked). */
  username: string;
  /** Where the link went: the address given at sign-up, or the one on record for a reset. */
  email: string;
  /** The display name given at sign-up, if any. */
  name?: string;
  /** The id of the client token that asked (for the log and the per-token limits). */
  client: string;
  /** When the link stops working, in ms since the epoch. */
  expiresAt: number;
}

/** What the gateway recorded for an account it created. */
export interface AccountRecord {
  email: string;
  name?: string;
}

/** A rate-limit window after one more hit. */
export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** When the window ends, in ms since the epoch. */
  resetAt: number;
}

/**
 * The gateway's state. Every method is atomic on its own: of two `takeLink` calls for one id, racing from two
 * gateway instances, exactly one gets the link.
 */
export interface GatewayStore {
  /** Keep `link` under `id` (a digest of its token) until `link.expiresAt`. */
  putLink(id: string, link: PendingLink): Promise<void>;
  /** The link under `id` if it exists and has not expired at `now`; it stays. */
  peekLink(id: string, now: number): Promise<PendingLink | undefined>;
  /** Remove the link under `id` and return it, if it existed and had not expired at `now`. */
  takeLink(id: string, now: number): Promise<PendingLink | undefined>;
  /**
   * Hold `username` for the create link `id` until `expiresAt`: false when another link holds it and has not expired
   * at `now`. A reservation by the same `id` is renewed.
   */
  reserveUsername(username: string, id: string, expiresAt: number, now: number): Promise<boolean>;
  /** Let `username` go, if link `id` holds it (a reservation by another link stays). */
  releaseUsername(username: string, id: string): Promise<void>;
  /** Count a hit on `key` in its fixed window of `windowMs` that contains `now`. */
  hit(key: string, windowMs: number, now: number): Promise<WindowCount>;
  /** Record the address an account was created with (replacing an older record). */
  recordAccount(username: string, record: AccountRecord): Promise<void>;
  /** What was recorded for `username`, if the gateway created it. */
  accountOf(username: string): Promise<AccountRecord | undefined>;
  /** Forget what was recorded for `username` (its account was removed). */
  forgetAccount(username: string): Promise<void>;
  /** Release the database or connection. */
  close(): Promise<void>;
}
