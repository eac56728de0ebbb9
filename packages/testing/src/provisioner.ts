// What the throwaway users need from an admin path when in-band registration is off (see @reguser/admin).

export interface AccountProvisioner {
  /** Create the account (an admin path: in-band registration is off). */
  createUser(account: { username: string; password: string }): Promise<void>;
  /** Delete the account `username`. */
  deleteUser(username: string): Promise<void>;
}
