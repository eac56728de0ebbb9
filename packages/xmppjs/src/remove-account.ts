// XEP-0077 §3.2 Entity Cancels an Existing Registration, from a connected xmpp.js client; the server then ends the stream.
import { XmppError } from "@reguser/errors";
import { buildRemoveQuery } from "@reguser/protocol";
import xml from "@xmpp/xml";
import type { XmppClient } from "./client.js";
import { type RequestOptions, request } from "./request.js";

/** How long to wait for the server to end the stream after confirming the removal. */
const SERVER_CLOSE_GRACE_MS = 2000;

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
  const closed = waitForDisconnect(xmpp, SERVER_CLOSE_GRACE_MS);
  try {
    await request(xmpp, xml("iq", { type: "set" }, buildRemoveQuery()), options);
  } catch (err) {
    closed.cancel();
    xmpp.off("error", expected);
    xmpp.reconnect.start();
    throw err;
  }
  try {
    await closed.promise;
    await xmpp.stop();
  } finally {
    xmpp.off("error", expected);
  }
}

function waitForDisconnect(xmpp: XmppClient, grace: number): { promise: Promise<void>; cancel(): void } {
  let finish = () => {};
  const promise = new Promise<void>((resolve) => {
    const timer = setTimeout(done, grace);
    function done() {
      clearTimeout(timer);
      xmpp.off("disconnect", done);
      resolve();
    }
    finish = done;
    xmpp.on("disconnect", done);
  });
  return { promise, cancel: finish };
}
