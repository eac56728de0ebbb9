// XEP-0077 in-band registration as a Provisioner, for servers that allow it: each createUser opens a stream,
// registers and closes. It can only create: changing or removing an account in band needs that account's own
// login, which a provisioner does not have.
import { FeatureNotImplementedError } from "@reguser/errors";
import { inquire, type Provisioner, register, type SaslprepPolicy } from "@reguser/register";
import { type OpenStreamOptions, openStream } from "@reguser/stream";

/** Options of `inBandProvisioner`. */
export interface InBandOptions {
  /** How to reach the server; accounts are created on its `domain`. */
  connect: OpenStreamOptions;
  /** What to do with a password SASLprep would change (default `refuse`). */
  saslprep?: SaslprepPolicy;
}

/**
 * A `Provisioner` that only creates, by in-band registration. `changePassword`, `removeUser`, `disableUser` and
 * `enableUser` throw `FeatureNotImplementedError` (an admin backend can do them: xep0133Provisioner…).
 */
export function inBandProvisioner(options: InBandOptions): Provisioner {
  const cannot = (what: string) => async () => {
    throw new FeatureNotImplementedError({
      text: `In-band registration cannot ${what} an account without logging in as it: use an admin backend`,
    });
  };
  return {
    async createUser(account) {
      const stream = await openStream(options.connect);
      try {
        // The inquiry says which fields (or which form) the server wants; name and email go only where listed.
        const inquiry = await inquire(stream);
        await register(stream, account, { inquiry, saslprep: options.saslprep });
      } finally {
        await stream.close().catch(() => {});
      }
    },
    changePassword: cannot("change the password of"),
    removeUser: cannot("remove"),
    disableUser: cannot("disable"),
    enableUser: cannot("enable"),
    async close() {},
  };
}
