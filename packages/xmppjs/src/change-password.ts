// XEP-0077 §3.3 Changing a Password, in the session of a connected xmpp.js client: @reguser/register's step
// (with the change-password form) over the client's iqCaller.
import { XmppError } from "@reguser/errors";
import { type ChangePasswordOptions, changePassword as changeOnSession, type PasswordChange } from "@reguser/register";
import type { XmppClient } from "./client.js";
import { type ClientSessionOptions, clientSession } from "./iq-session.js";

/**
 * Change the password of the account `xmpp` is logged in as (`username` defaults to its JID's local part, as on
 * any session). Its next (re)connection needs the new one. `options` are the step's (`saslprep`, `timeout`) and the
 * session's (`allowInsecure`).
 */
export async function changePassword(
  xmpp: XmppClient,
  change: PasswordChange,
  options: ChangePasswordOptions & Omit<ClientSessionOptions, "streamId"> = {},
): Promise<void> {
  if (xmpp.status !== "online" || !xmpp.jid?.local) throw new XmppError("The xmpp.js client is not online");
  const { allowInsecure, ...stepOptions } = options;
  await changeOnSession(clientSession(xmpp, { allowInsecure, timeout: options.timeout }), change, stepOptions);
}
