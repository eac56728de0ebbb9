// `server.sessions`: who is online, and a way for a test to push a stanza to them as the server.
import { InvalidOptionError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import { parseJid } from "../routing/jid.js";
import { addressed, isStanza } from "../routing/stanza.js";
import type { StanzaRouter } from "../routing/stanza-router.js";
import type { SessionRegistry } from "./registry.js";

/** The bound resources of the embedded server, for tests to look at and to send to. */
export interface OnlineSessions {
  /**
   * The full JIDs (`username@domain/resource`) `username` is bound to now, by iq:auth or SASL and resource
   * binding, in the order they bound; `[]` when nobody is (or there is no such account).
   */
  online(username: string): string[];
  /**
   * Send `stanza` (a `<message/>`, `<presence/>` or `<iq/>` made with `@xmpp/xml`) to `to` as the server: a copy
   * with `to` set and `from` the server's domain unless the stanza has one, routed as a client's stanza would be
   * (a full JID: that resource; a bare JID: RFC 6121 §8.5's rules, e.g. a headline to every available resource of
   * non-negative priority, a chat to those of the highest). Returns the full JIDs it was delivered to: `[]` when
   * nobody got it (another domain, nobody online). No error stanza comes back to anyone. Throws
   * `InvalidOptionError` when `to` is not a JID or `stanza` not a stanza.
   */
  send(to: string, stanza: Element): string[];
}

export function onlineSessions(
  registry: Pick<SessionRegistry, "ofUser">,
  router: Pick<StanzaRouter, "deliver">,
  domain: string,
): OnlineSessions {
  return {
    online: (username) => registry.ofUser(username).map((live) => live.jid),
    send: (to, stanza) => {
      if (typeof to !== "string" || !parseJid(to)) {
        throw new InvalidOptionError("sessions.send", "to", typeof to === "string" ? "no JID" : typeof to, "a JID");
      }
      if (typeof stanza?.name !== "string" || !isStanza(stanza)) {
        throw new InvalidOptionError("sessions.send", "stanza", "something else", "a message, presence or iq element");
      }
      const from = stanza.attrs.from === undefined ? domain : String(stanza.attrs.from);
      return router.deliver(addressed(stanza, { from, to }));
    },
  };
}
