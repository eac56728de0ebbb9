// XEP-0077 §3.1 registration on the xmpp.js stream itself, before SASL, through the credentials callback.
import { ProtocolError, requireTextOptions } from "@reguser/errors";
import { NS, parseRegistrationInfo } from "@reguser/protocol";
import { checkPassword, type NewAccount, registrationQuery, type SaslprepPolicy } from "@reguser/register";
import { assertConfidential } from "@reguser/stream";
import xml from "@xmpp/xml";
import { type CredentialsCallback, confidentialityOf, type XmppClient } from "./client.js";
import { type RequestOptions, request } from "./request.js";
import { saslLogin } from "./sasl-login.js";

export interface RegisterOnStreamOptions extends RequestOptions {
  /**
   * What to do with a password SASLprep would change or prohibit: `refuse` (default) throws `PasswordPreparationError`
   * before sending, `allow` sends it as given.
   */
  saslprep?: SaslprepPolicy;
  /** Answer with the offered data form (`true`), legacy fields (`false`), or decide from the inquiry (default). */
  useForm?: boolean;
  /** Allow the password over an unencrypted connection to a non-loopback host. Default false. */
  allowInsecure?: boolean;
}

/**
 * A `credentials` callback for `client()` that registers `account` on the stream before the first SASL login,
 * then logs in with it as `saslLogin` does. Reconnects only log in. A refused registration rejects `xmpp.start()` with its typed
 * error and leaves the stream open: call `xmpp.stop()`. Not for jabberd2 (docs/traps.md#trap-3): use
 * `registerThenLogin` there.
 */
export function registerOnStream(account: NewAccount, options: RegisterOnStreamOptions = {}): CredentialsCallback {
  requireTextOptions("registerOnStream", account, { required: ["username", "password"] });
  let registered = false;
  const login = saslLogin(account, options);
  return async (authenticate, mechanisms, fast, xmpp) => {
    if (!registered) {
      await registerHere(xmpp, account, options);
      registered = true;
    }
    await login(authenticate, mechanisms, fast, xmpp);
  };
}

async function registerHere(xmpp: XmppClient, account: NewAccount, options: RegisterOnStreamOptions): Promise<void> {
  assertConfidential(confidentialityOf(xmpp, options.allowInsecure), "a password");
  checkPassword(account.password, options.saslprep);
  const reply = await request(xmpp, xml("iq", { type: "get" }, xml("query", { xmlns: NS.register })), options);
  const query = reply.getChild("query", NS.register);
  if (!query) throw new ProtocolError("The registration inquiry's result carries no jabber:iq:register query");
  const iq = xml("iq", { type: "set" }, registrationQuery(account, parseRegistrationInfo(query), options.useForm));
  await request(xmpp, iq, { ...options, secrets: [account.password] });
}
