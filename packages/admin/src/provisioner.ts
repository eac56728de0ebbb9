// One interface for every admin path: what an app or a test suite needs to manage accounts without IBR.

export interface NewUser {
  username: string;
  password: string;
  name?: string;
  email?: string;
}

export interface Provisioner {
  /** `ConflictError` when the user exists. */
  createUser(user: NewUser): Promise<void>;
  /** `ItemNotFoundError` when there is no such user (unless the backend cannot tell). */
  deleteUser(username: string): Promise<void>;
  /** Set a new password for `username`. */
  changePassword(username: string, password: string): Promise<void>;
  /** Backends that cannot do this throw `FeatureNotImplementedError`. */
  disableUser(username: string): Promise<void>;
  /** Let a disabled user log in again; backends that cannot do this throw `FeatureNotImplementedError`. */
  enableUser(username: string): Promise<void>;
  /** Release connections. */
  close(): Promise<void>;
}
