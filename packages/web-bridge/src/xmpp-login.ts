// One XMPP login for the bridge: an @xmpp/client session with SASL (reguser's mechanism choice), or with
// jabber:iq:auth through @reguser/xmppjs for servers that offer only that. The password reaches the login and is
// dropped after it: the client is told never to reconnect, since it could not log in again without it.
import { NotAuthorizedError } from "@reguser/errors";
import {
  type CredentialsCallback,
  iqAuth,
  saslLogin,
  toTypedError,
  useNativeScram,
  type XmppClient,
} from "@reguser/xmppjs";
import { client } from "@xmpp/client";
import { BridgeError } from "./bridge-error.js";

/** Where and how the bridge logs users in. */
export interface XmppTarget {
  /** `xmpp://host:port` (STARTTLS when offered), `xmpps://host:port`, or `ws://…`/`wss://…`. */
  service: string;
  /** The XMPP domain; users log in as `username@domain`. */
  domain: string;
  /** `sasl` (default), or `iq-auth` for servers that offer only jabber:iq:auth (XEP-0078). */
  login?: "sasl" | "iq-auth";
  /** ms for the whole login (default 20 000). */
  timeout?: number;
}

/** A logged-in client. The caller owns it: `stop()` it. */
export async function logIn(
  target: XmppTarget,
  username: string,
  password: string,
  resource: string,
): Promise<XmppClient> {
  let once: CredentialsCallback | undefined = saslLogin({ username, password });
  const credentials: CredentialsCallback = async (...args) => {
    const login = once;
    once = undefined;
    if (!login) throw new NotAuthorizedError({ text: "The bridge keeps no password to log in again with" });
    await login(...args);
  };
  const xmpp = client({
    service: target.service,
    domain: target.domain,
    resource,
    credentials,
    timeout: target.timeout ?? 20_000,
  }) as unknown as XmppClient;
  xmpp.reconnect.stop();
  // SCRAM's PBKDF2 in one native call, not 4,096 Web Crypto calls: logins stop queueing behind each other.
  useNativeScram(xmpp);
  // start() rejects with the same error; without a listener the emitter would throw it.
  xmpp.on("error", () => {});
  const plugin =
    target.login === "iq-auth" ? iqAuth(xmpp, { username, password, resource }, { when: "prefer" }) : undefined;
  try {
    await withTimeout(xmpp.start(), target.timeout ?? 20_000);
    return xmpp;
  } catch (err) {
    await xmpp.stop().catch(() => {});
    throw loginError(
      toTypedError(err, { operation: "XMPP login", timeout: target.timeout ?? 20_000, secrets: [password] }),
    );
  } finally {
    plugin?.stop();
    once = undefined;
  }
}

/** A wrong password (or no such user: never told apart) is a 401; anything else a 502. */
function loginError(typed: unknown): BridgeError {
  const condition = (typed as { condition?: string }).condition;
  if (typed instanceof NotAuthorizedError || condition === "not-authorized" || condition === "account-disabled") {
    return new BridgeError("unauthorized", "Wrong username or password", { cause: typed });
  }
  return new BridgeError("xmpp_failed", "The XMPP server could not be reached or refused the session", {
    cause: typed,
  });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The XMPP login took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
