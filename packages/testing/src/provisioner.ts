// What the throwaway users need from an admin path when in-band registration is off (see @reguser/admin).

export interface AccountProvisioner {
  createUser(account: { username: string; password: string }): Promise<void>;
  deleteUser(username: string): Promise<void>;
}
