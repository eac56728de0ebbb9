// XEP-0077 §8 when in-band registration is off: an admin path (XEP-0133, a server's HTTP plugin) that manages
// accounts with more rights than registration has. The interface only; @reguser/admin implements it.
import type { NewAccount } from "./register-account.js";

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
