// RFC 6120 §5 STARTTLS: ask, wait for <proceed/>, upgrade the transport, restart the stream.
import type { ConnectionOptions } from "node:tls";
import { TlsRequiredError } from "@reguser/errors";
import { NS } from "@reguser/protocol";
import xml from "@xmpp/xml";
import type { StreamCore } from "./stream-core.js";

/** Secure `core`'s transport in place; refused (`<failure/>`) or impossible, it throws `TlsRequiredError`. */
export async function startTls(core: StreamCore, tlsOptions: ConnectionOptions): Promise<void> {
  const upgrade = core.wire.transport.startTls?.bind(core.wire.transport);
  if (!upgrade) throw new TlsRequiredError("This transport cannot start TLS");
  const answer = core.waitFor((el) => el.attrs.xmlns === NS.tls, "the STARTTLS answer");
  core.send(xml("starttls", { xmlns: NS.tls }));
  const reply = await answer;
  if (reply.name !== "proceed") throw new TlsRequiredError(`The server refused STARTTLS (<${reply.name}/>)`);
  core.useTransport(await upgrade(tlsOptions, core.settings.timeout));
  await core.restart();
}
