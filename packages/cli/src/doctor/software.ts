// Which server this is: XEP-0092 Software Version, else the XEP-0030 identity's name.

import xml from "@xmpp/xml";
import { type IqSession, type OpenStreamOptions, openStream, StanzaError, StreamError } from "reguser";
import type { ServerKind, Software } from "./check.js";

const VERSION_NS = "jabber:iq:version";
const DISCO_INFO_NS = "http://jabber.org/protocol/disco#info";

/**
 * The server's software as it names itself, asked on a stream of its own (jabberd2 ends a stream that sends such a
 * query before a login), or undefined when it answers neither query or ends the stream.
 */
export async function softwareOf(target: OpenStreamOptions): Promise<Software | undefined> {
  const stream = await openStream(target).catch(() => undefined);
  if (!stream) return undefined;
  try {
    return await askSoftware(stream, target.timeout ?? 10_000);
  } catch (err) {
    // jabberd2's words when it ends a stream for a query before the login: they name it.
    if (err instanceof StreamError && /stanza sent before session start/i.test(err.text ?? "")) {
      return { kind: "jabberd2", label: "jabberd2 (by how it refuses queries before a login)" };
    }
    return undefined;
  } finally {
    await stream.close().catch(() => undefined);
  }
}

async function askSoftware(session: IqSession, timeout: number): Promise<Software | undefined> {
  const version = await ask(session, VERSION_NS, timeout);
  const name = version?.getChildText("name")?.trim();
  if (name) {
    const number = version?.getChildText("version")?.trim();
    return { kind: kindOf(name), label: number ? `${name} ${number}` : name };
  }
  const info = await ask(session, DISCO_INFO_NS, timeout);
  const identity = info?.getChildren("identity").find((i) => i.attrs.category === "server")?.attrs.name;
  return identity ? { kind: kindOf(String(identity)), label: String(identity) } : undefined;
}

function kindOf(name: string): ServerKind | undefined {
  if (/prosody/i.test(name)) return "prosody";
  if (/ejabberd/i.test(name)) return "ejabberd";
  if (/jabberd/i.test(name)) return "jabberd2";
  if (/reguser/i.test(name)) return "embedded";
  return undefined;
}

/** An IQ-get to the server; an error reply (the query not served) is no answer. */
async function ask(session: IqSession, xmlns: string, timeout: number) {
  try {
    return await session.get(xml("query", { xmlns }), { to: session.domain, timeout });
  } catch (err) {
    if (err instanceof StanzaError) return undefined;
    throw err;
  }
}
