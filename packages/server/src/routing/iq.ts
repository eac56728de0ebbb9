// RFC 6120 §10.5.4 an IQ for another entity (XEP-0199 pings between clients, the replies coming back).
import type { Element } from "@xmpp/xml";
import type { LiveSession } from "../sessions/registry.js";
import { parseJid } from "./jid.js";
import type { Route } from "./route.js";
import { addressed } from "./stanza.js";

/**
 * Routes `iq` from `sender` when it is for someone other than the server, and says whether it did. The server
 * answers for itself (no `to`, its domain) and for the sender's own account (its bare JID, §10.5.3.1); every other
 * address is routed: a bound full JID gets the IQ, anything else earns service-unavailable (a get or set) or
 * silence (a result or error), another domain remote-server-not-found.
 */
export function routeIq(
  sender: LiveSession,
  iq: Element,
  { route, domain }: { route: Route; domain: string },
): boolean {
  const to = iq.attrs.to;
  if (to === undefined) return false;
  const target = parseJid(String(to));
  if (target && target.domain === domain.toLowerCase()) {
    if (target.local === undefined) return false;
    if (target.local === sender.username && target.resource === undefined) return false;
  }
  route(addressed(iq, { from: sender.jid }), sender);
  return true;
}
