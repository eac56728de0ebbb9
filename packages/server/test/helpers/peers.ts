// Logged-in raw peers for the routing tests: what each one got, read without sleeping. `received()` asks the server
// to send a marker and returns everything that came before it; `sync()` waits until the server has handled all
// the peer sent (an IQ round trip: one connection's stanzas are handled in order).
import xml, { type Element } from "@xmpp/xml";
import type { EmbeddedServer } from "../../src/index.js";
import type { RawClient } from "./raw-client.js";
import { loginPlain } from "./server.js";

/** How long a peer waits for an element it expects: a hang guard, never a measurement. */
export const WAIT_MS = 5000;

export interface Peer {
  readonly jid: string;
  readonly client: RawClient;
  send(stanza: string | Element): void;
  /** The first element `match` accepts (the others are kept for `received()`); rejects after WAIT_MS. */
  next(match: (el: Element) => boolean): Promise<Element>;
  /** Everything the server sent this peer and no `next` took, up to now. */
  received(): Promise<Element[]>;
  /** Resolves once the server has handled everything this peer sent so far. */
  sync(): Promise<void>;
}

let counter = 0;

/** `client` logged in by iq:auth (plaintext, the password being `${username}-pw`) as `username/resource`. */
export async function peer(
  server: EmbeddedServer,
  client: RawClient,
  username: string,
  resource: string,
): Promise<Peer> {
  await loginPlain(client, username, `${username}-pw`, resource);
  const jid = `${username}@${server.domain}/${resource}`;
  const kept: Element[] = [];
  const next = async (match: (el: Element) => boolean) => {
    const found = kept.findIndex(match);
    if (found >= 0) return kept.splice(found, 1)[0] as Element;
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const el = await client.next(Math.max(1, deadline - Date.now())).catch((err: Error) => {
        const seen = kept.map((k) => k.toString()).join("\n  ");
        throw new Error(`${jid}: ${err.message}; got meanwhile:\n  ${seen}`);
      });
      if (match(el)) return el;
      kept.push(el);
    }
  };
  return {
    jid,
    client,
    send: (stanza) => client.send(stanza),
    next,
    received: async () => {
      const id = `marker-${++counter}`;
      server.sessions.send(jid, xml("message", { type: "headline", id }));
      await next((el) => el.attrs.id === id);
      return kept.splice(0);
    },
    sync: async () => {
      const id = `sync-${++counter}`;
      client.send(xml("iq", { type: "get", id }, xml("query", { xmlns: "jabber:iq:version" })));
      await next((el) => el.attrs.id === id);
    },
  };
}

/** A `<presence/>` from `from`: available, or of `type`. */
export const presenceFrom =
  (from: string, type?: string) =>
  (el: Element): boolean =>
    el.name === "presence" && el.attrs.from === from && el.attrs.type === type;

/** A message with this body. */
export const messageWith =
  (body: string) =>
  (el: Element): boolean =>
    el.name === "message" && el.getChildText("body") === body;

/** The `<error/>` condition of an error stanza (its first child in the stanzas namespace). */
export const conditionOf = (el: Element): string | undefined =>
  el
    .getChild("error")
    ?.getChildElements()
    .find((c) => c.attrs.xmlns === "urn:ietf:params:xml:ns:xmpp-stanzas" && c.name !== "text")?.name;
