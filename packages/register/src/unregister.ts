// XEP-0077 §3.2 Entity Cancels an Existing Registration; the server then ends the stream.
import { buildRemoveQuery } from "@reguser/protocol";
import type { IqOptions, XmppStream } from "@reguser/stream";
import xml from "@xmpp/xml";

/** How long to wait for the server to end the stream after confirming the removal. */
const SERVER_CLOSE_GRACE_MS = 2000;

/** Remove the account logged in on `stream`. The stream is closed afterwards, whoever closes it. */
export async function unregister(stream: XmppStream, options: IqOptions = {}): Promise<void> {
  // Prosody and ejabberd follow the result with a stream error, jabberd2 with </stream:stream>: both are success.
  stream.expectEnd();
  await stream.request(xml("iq", { type: "set" }, buildRemoveQuery()), options);
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, SERVER_CLOSE_GRACE_MS)));
  await Promise.race([stream.ended, grace]);
  clearTimeout(timer);
  await stream.close();
}
