// XEP-0077 §8 when in-band registration is off: an admin path (XEP-0133, a server's HTTP plugin) that manages
// accounts with more rights than registration has. The interface only; @reguser/admin implements it.
import type { NewAccount } from "./register-account.js";

/**
 * What `Provisioner.removeUsers` did with each username it was given: every one is in exactly one of the two lists
 * (a name given twice, twice), in the order given.
 */
export interface BatchRemoval {
  /** Usernames whose account the server says it removed. */
  removed: string[];
  /**
   * Usernames it did not remove, each with why: `ItemNotFoundError` where the server reports no such account (or,
   * on Prosody, one it could not delete: it says the same for both), `JidMalformedError` for a name that makes no
   * JID, or the error that failed the whole request.
   */
  failed: Array<{ username: string; error: Error }>;
}

/**
 * An admin path: creates, changes and deletes accounts without logging in as them. `@reguser/admin` has one per
 * backend (`xep0133Provisioner`, the Openfire ones); `createAccount` and `registerMany` (`@reguser/bulk`) and
 * `@reguser/testing` fall back to one when in-band registration is refused.
 */
export interface Provisioner {
  /**
   * Create `account`: its `username` and `password`, and `name` and `email` where the backend keeps them; other
   * fields are not sent. `ConflictError` when the user exists.
   */
  createUser(account: NewAccount): Promise<void>;
  /** `ItemNotFoundError` when there is no such user (unless the backend cannot tell). */
  removeUser(username: string): Promise<void>;
  /**
   * Remove many accounts in few requests (XEP-0133 delete-user with many `accountjids`), each account's outcome in
   * the result. It rejects only when its first request fails as a whole (a refused credential, an account without
   * admin rights, a server that takes one JID per command), before any account was settled; a later request that
   * fails as a whole fails its accounts, and those not sent yet, with that error. Backends without a batch command
   * leave it out: callers then use `removeUser`.
   */
  removeUsers?(usernames: readonly string[]): Promise<BatchRemoval>;
  /**
   * Whether an account named `username` exists. Backends that cannot tell leave it out (XEP-0133 has no such
   * command); the account gateway then learns of a taken name only when it creates the account.
   */
  userExists?(username: string): Promise<boolean>;
  /** Set a new `password` for `username`; the old one is not needed. */
  changePassword(change: { username: string; password: string }): Promise<void>;
  /** Backends that cannot do this throw `FeatureNotImplementedError`. */
  disableUser(username: string): Promise<void>;
  /** Let a disabled user log in again; backends that cannot do this throw `FeatureNotImplementedError`. */
  enableUser(username: string): Promise<void>;
  /**
   * An invite URI for one new account (XEP-0401 `urn:xmpp:invite#create-account`), for servers where registration
   * is through invitation only. Backends that cannot make one leave it out.
   */
  createInvite?(): Promise<string>;
  /** Release connections. */
  close(): Promise<void>;
}
