// The embedded server's own admin path: a Provisioner over `server.users`, in process, as ejabberdctl is for
// ejabberd. For offline tests and demos of what needs one (the account gateway, `npm run gateway`).
import { ConflictError, FeatureNotImplementedError, ItemNotFoundError } from "@reguser/errors";
import type { Provisioner } from "@reguser/register";
import type { Users } from "./users.js";

/**
 * A `Provisioner` that creates, changes and removes accounts of an embedded server directly in its store. `name`
 * and `email` are kept as registration fields. Disabling accounts is not supported (FeatureNotImplementedError).
 */
export function usersProvisioner(users: Users): Provisioner {
  const missing = (username: string) => new ItemNotFoundError({ text: `No account ${username}` });
  return {
    async createUser({ username, password, ...fields }) {
      if (users.has(username)) throw new ConflictError({ text: `The account ${username} exists` });
      const kept = Object.fromEntries(
        Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      );
      users.add({ username, password, fields: kept });
    },
    async userExists(username) {
      return users.has(username);
    },
    async changePassword({ username, password }) {
      const account = users.get(username);
      if (!account) throw missing(username);
      users.add({ username, password, fields: { ...account.fields } });
    },
    async removeUser(username) {
      if (!users.delete(username)) throw missing(username);
    },
    async disableUser() {
      throw new FeatureNotImplementedError({ text: "The embedded server cannot disable accounts" });
    },
    async enableUser() {
      throw new FeatureNotImplementedError({ text: "The embedded server cannot disable accounts" });
    },
    async close() {},
  };
}
