// RFC 6120 §5 STARTTLS: ask, wait for <proceed/>, handshake, restart the stream.
import type { ConnectionOptions } from "node:tls";
import { TlsRequiredError } from "@reguser/errors";
import { NS } from "@reguser/protocol";
import xml from "@xmpp/xml";
import { upgradeToTls } from "./connect.js";
import type { XmppStream } from "./xmpp-stream.js";

export async function startTls(
  stream: XmppStream,
  rawSocket: import("node:net").Socket,
  tlsOptions: ConnectionOptions,
): Promise<void> {
  const answer = stream.waitFor((el) => el.attrs.xmlns === NS.tls, "the STARTTLS answer");
  stream.send(xml("starttls", { xmlns: NS.tls }));
  const reply = await answer;
  if (reply.name !== "proceed") throw new TlsRequiredError(`The server refused STARTTLS (<${reply.name}/>)`);
  const secure = await upgradeToTls(rawSocket, tlsOptions, stream.timeout);
  stream.replaceSocket(secure, true);
  await stream.restart();
}
