// RFC 6120 §10 the stanzas between local users, composed in one visible place: messages, presence, IQs for others.
import type { ErrorStyle } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import type { LiveSession, SessionRegistry } from "../sessions/registry.js";
import { routeIq } from "./iq.js";
import { routeMessage } from "./message.js";
import { presenceSteps } from "./presence.js";
import { createRoute, type Route } from "./route.js";

export interface StanzaRouterDeps {
  sessions: SessionRegistry;
  domain: string;
  errors: ErrorStyle;
  presenceToAll: boolean;
}

/** What the connections and `server.sessions` hand stanzas to. The same for every link: none is told which it is. */
export interface StanzaRouter {
  /** A stanza from a bound resource: routed (true), or an IQ the server answers itself (false). */
  outbound(sender: LiveSession, stanza: Element): boolean;
  /** A bound resource's stream ended: its presence goes unavailable where it was seen. */
  offline(gone: LiveSession): void;
  /** A stanza from the server itself, its addresses set: delivered by the same rules; the full JIDs it reached. */
  deliver: (stanza: Element) => string[];
}

export function createStanzaRouter({ sessions, domain, errors, presenceToAll }: StanzaRouterDeps): StanzaRouter {
  const route: Route = createRoute({ sessions, domain, errors });
  const presence = presenceSteps({ sessions, presenceToAll, route });
  return {
    outbound(sender, stanza) {
      switch (stanza.name) {
        case "message":
          routeMessage(sender, stanza, route);
          return true;
        case "presence":
          presence.outbound(sender, stanza);
          return true;
        case "iq":
          return routeIq(sender, stanza, { route, domain });
        default:
          return false;
      }
    },
    offline: (gone) => presence.offline(gone),
    deliver: (stanza) => route(stanza, undefined),
  };
}
