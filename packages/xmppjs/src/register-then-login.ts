// XEP-0077 §3.1 registration on a stream of its own, then the xmpp.js client's usual SASL login on a fresh one.
import { requireTextOptions } from "@reguser/errors";
import { inquire, type NewAccount, type RegisterOptions, register } from "@reguser/register";
import { type OpenStreamOptions, openStream } from "@reguser/stream";
import type { XmppClient } from "./client.js";
import { streamOptionsFromService } from "./stream-options.js";

export interface RegisterThenLoginOptions extends RegisterOptions {
  /** How to reach the server for the registration stream; defaults come from the client's `service` and `domain`. */
  stream?: Partial<OpenStreamOptions>;
}

/**
 * Register `account` on a separate reguser stream (inquiry, then the attempt), close it, then `xmpp.start()`:
 * SASL, resource binding and `online` on a fresh stream (jabberd2 never answers a bind on the stream that
 * registered: docs/traps.md#trap-3). A refused registration rejects with its typed error (`ConflictError`…)
 * before the client connects. The client must have been made with the same username and password.
 */
export async function registerThenLogin(
  xmpp: XmppClient,
  account: NewAccount,
  options: RegisterThenLoginOptions = {},
): ReturnType<XmppClient["start"]> {
  requireTextOptions("registerThenLogin", account, { required: ["username", "password"] });
  const local = xmpp.jid?.local;
  if (local !== undefined && local !== "" && local !== account.username) {
    throw new TypeError("The xmpp.js client logs in as another username than the account to register");
  }
  const { stream: streamOptions, ...registerOptions } = options;
  const stream = await openStream({
    ...streamOptionsFromService(xmpp.options.service, xmpp.options.domain),
    ...streamOptions,
  });
  try {
    const inquiry = await inquire(stream, { timeout: registerOptions.timeout, signal: registerOptions.signal });
    await register(stream, account, { ...registerOptions, inquiry });
  } finally {
    await stream.close();
  }
  return xmpp.start();
}
