// RFC 6120 §10.4–10.5 a stanza on its way: another domain is unreachable (no server-to-server), ours is delivered.
import { type ErrorStyle, JidMalformedError, RemoteServerNotFoundError, type StanzaError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import { TEXT } from "../error-texts.js";
import type { LiveSession, SessionRegistry } from "../sessions/registry.js";
import { type Delivery, localDelivery } from "./delivery.js";
import { parseJid } from "./jid.js";
import { bounce } from "./stanza.js";

export interface RouteDeps {
  sessions: Pick<SessionRegistry, "ofUser">;
  domain: string;
  errors: ErrorStyle;
}

/** Sends a stanza, addresses stamped, to its `to`; returns the full JIDs it reached. */
export type Route = (stanza: Element, sender: LiveSession | undefined) => string[];

/**
 * Routing with these dependencies. A refusal goes back to `sender` as an error stanza (none for a stanza from the
 * server itself, nor to an error); a stanza without `to` goes nowhere (its kind's own step decides before).
 */
export function createRoute({ sessions, domain, errors }: RouteDeps): Route {
  const ours = domain.toLowerCase();
  return (stanza, sender) => {
    const outcome = whereTo(stanza);
    if ("refused" in outcome) {
      const reply = sender && bounce(stanza, outcome.refused, errors, sender.jid);
      if (reply) sender?.deliver(reply);
      return [];
    }
    for (const live of outcome.sessions) live.deliver(stanza);
    return outcome.sessions.map((live) => live.jid);
  };

  function whereTo(stanza: Element): Delivery {
    const to = stanza.attrs.to;
    if (to === undefined) return { sessions: [] };
    const target = parseJid(String(to));
    if (!target) return refused(new JidMalformedError({ text: TEXT.jidMalformed }));
    if (target.domain !== ours) return refused(new RemoteServerNotFoundError({ text: TEXT.remoteServerNotFound }));
    return localDelivery(stanza, target, sessions);
  }
}

const refused = (error: StanzaError): Delivery => ({ refused: error });
