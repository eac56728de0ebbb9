// XEP-0077 §3.1 registration on the xmpp.js stream itself, before SASL, through the credentials callback.
import { requireTextOptions } from "@reguser/errors";
import { inquire, type NewAccount, register, type SaslprepPolicy } from "@reguser/register";
import type { CredentialsCallback } from "./client.js";
import { clientSession } from "./iq-session.js";
import type { RequestOptions } from "./request.js";
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
      const session = clientSession(xmpp, options);
      const { saslprep, useForm, timeout } = options;
      await register(session, account, { saslprep, useForm, timeout, inquiry: await inquire(session, { timeout }) });
      registered = true;
    }
    await login(authenticate, mechanisms, fast, xmpp);
  };
}
