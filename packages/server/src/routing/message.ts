// RFC 6121 §5 a message from a bound resource: `from` is always its full JID; no `to` means its own bare JID.
import type { Element } from "@xmpp/xml";
import type { LiveSession } from "../sessions/registry.js";
import type { Route } from "./route.js";
import { addressed } from "./stanza.js";

/** Route `message` from `sender` (a `from` the client wrote is replaced, never trusted). */
export function routeMessage(sender: LiveSession, message: Element, route: Route): void {
  // RFC 6120 §10.3.1: a message without `to` is handled as if sent to the sender's bare JID.
  const to = message.attrs.to === undefined ? sender.bare : String(message.attrs.to);
  route(addressed(message, { from: sender.jid, to }), sender);
}
