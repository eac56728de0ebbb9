// Small pieces the hostile-server scripts share: ids, replies, stream errors, a tiny wait.

import { XmlReader } from "@reguser/protocol";
import { type ScriptedConnection, STREAMS_NS } from "@reguser/test-kit";
import xml, { type Element } from "@xmpp/xml";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The id of the last stanza the client sent (ltx writes attributes with double quotes). */
export const lastId = (text: string) => [...text.matchAll(/<iq[^>]* id="([^"]+)"/g)].at(-1)?.[1] ?? "";

export const iqGet = () => xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:register" }));

export function streamError(condition: string, text?: string, content = ""): string {
  const t = text === undefined ? "" : `<text xmlns='${STREAMS_NS}' xml:lang='en'>${text}</text>`;
  return `<stream:error><${condition} xmlns='${STREAMS_NS}'>${content}</${condition}>${t}</stream:error>`;
}

/** Wait until the client has sent its `nth` IQ of `type` (1-based) in full, and return its id. */
export async function nextIq(conn: ScriptedConnection, type: "get" | "set", nth = 1): Promise<string> {
  const text = await conn.waitFor(new RegExp(`(?:<iq[^>]*type="${type}"[\\s\\S]*?</iq>[\\s\\S]*?){${nth}}`));
  const ids = [...text.matchAll(new RegExp(`<iq[^>]*type="${type}"[^>]* id="([^"]+)"`, "g"))];
  return ids[nth - 1]?.[1] ?? "";
}

export const REGISTER_FIELDS =
  "<query xmlns='jabber:iq:register'><instructions>Choose</instructions><username/><password/></query>";
export const AUTH_FIELDS = "<query xmlns='jabber:iq:auth'><username/><password/><digest/><resource/></query>";

/** Read the client's stanzas as a server would: a streaming XML parser over the socket, one callback per stanza. */
export function readStanzas(conn: ScriptedConnection, onStanza: (el: Element) => void): void {
  // Our own reader, not a bare ltx parser: it stays linear on the multi-megabyte stanzas the injection cases send.
  const reader = new XmlReader(
    {
      onHeader() {},
      onElement: onStanza,
      onEnd() {},
      onError(err) {
        conn.socket.destroy(err);
      },
    },
    64 * 2 ** 20,
  );
  reader.write(Buffer.from(conn.received()));
  conn.socket.on("data", (chunk: Buffer) => reader.write(chunk));
}
