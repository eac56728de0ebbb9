// XEP-0077 §3.3 Changing a Password, in the session of a connected xmpp.js client: @reguser/register's flow
// (with the change-password form) over the client's iqCaller.
import { XmppError } from "@reguser/errors";
import { changePassword as changeOnSession, type SaslprepPolicy } from "@reguser/register";
import type { XmppClient } from "./client.js";
import { clientSession } from "./iq-session.js";
import type { RequestOptions } from "./request.js";

export interface NewPassword {
  password: string;
  /** Needed only by servers that answer with the change-password form. */
  oldPassword?: string;
}

export interface ChangePasswordOptions extends RequestOptions {
  /**
   * What to do with a password SASLprep would change or prohibit: `refuse` (default) throws `PasswordPreparationError`
   * before sending, `allow` sends it as given.
   */
  saslprep?: SaslprepPolicy;
  /** Allow the password over an unencrypted connection to a non-loopback host. Default false. */
  allowInsecure?: boolean;
}

/** Change the password of the account `xmpp` is logged in as. Its next (re)connection needs the new one. */
export async function changePassword(
  xmpp: XmppClient,
  change: NewPassword,
  options: ChangePasswordOptions = {},
): Promise<void> {
  const username = xmpp.jid?.local;
  if (xmpp.status !== "online" || !username) throw new XmppError("The xmpp.js client is not online");
  const session = clientSession(xmpp, options);
  await changeOnSession(session, { username, ...change }, { saslprep: options.saslprep });
}
