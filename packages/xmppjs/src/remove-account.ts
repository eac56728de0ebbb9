// XEP-0077 §3.2 Entity Cancels an Existing Registration, from a connected xmpp.js client; the server then ends the stream.
import { XmppError } from "@reguser/errors";
import { removeAccount as removeOnSession } from "@reguser/register";
import type { XmppClient } from "./client.js";
import { clientSession } from "./iq-session.js";
import type { RequestOptions } from "./request.js";

/**
 * Remove the account `xmpp` is logged in as, then stop the client (status `offline`; no reconnect). The server's
 * closing stream error (Prosody: not-authorized, ejabberd: conflict) is expected: it still reaches your own
 * `error` listeners, as xmpp.js emits it, but cannot crash a client that has none. An error reply rejects with
 * its typed error and leaves the client online.
 */
export async function removeAccount(xmpp: XmppClient, options: RequestOptions = {}): Promise<void> {
  if (xmpp.status !== "online") throw new XmppError("The xmpp.js client is not online");
  const expected = () => {};
  xmpp.on("error", expected);
  xmpp.reconnect.stop();
  try {
    await removeOnSession(clientSession(xmpp, options), options);
  } catch (err) {
    xmpp.reconnect.start();
    throw err;
  } finally {
    xmpp.off("error", expected);
  }
}
