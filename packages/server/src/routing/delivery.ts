// RFC 6121 §8.5 a stanza for this server's domain: which bound resources it reaches, or the error its sender gets.
import { ServiceUnavailableError, type StanzaError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import { TEXT } from "../error-texts.js";
import type { LiveSession, SessionRegistry } from "../sessions/registry.js";
import type { Jid } from "./jid.js";

/** Delivered to these sessions (none: dropped without a word), or refused with this error. */
export type Delivery = { sessions: LiveSession[] } | { refused: StanzaError };

const dropped: Delivery = { sessions: [] };
const unavailable = (): Delivery => ({ refused: new ServiceUnavailableError({ text: TEXT.serviceUnavailable }) });

/**
 * Where `stanza`, addressed to `to` in this domain, goes. A user without an account and a user with nobody online are
 * treated alike (§8.5.1 lets a server answer both the same way), so no reply tells them apart. Nothing is stored.
 */
export function localDelivery(stanza: Element, to: Jid, sessions: Pick<SessionRegistry, "ofUser">): Delivery {
  const resources = to.local === undefined ? [] : sessions.ofUser(to.local);
  if (to.resource === undefined) return toBare(stanza, resources);
  // §8.5.3.1: a full JID that is bound gets the stanza, whatever it is.
  const target = resources.find((live) => live.resource === to.resource);
  if (target) return { sessions: [target] };
  return toMissingResource(stanza, resources);
}

/** §8.5.3.2: a full JID nobody has bound. */
function toMissingResource(stanza: Element, resources: LiveSession[]): Delivery {
  const type = stanza.attrs.type;
  if (stanza.name === "message") {
    // §8.5.3.2.1: chat is handled as if sent to the bare JID; normal and groupchat earn an error, headline nothing.
    if (messageType(stanza) === "chat") return toBare(stanza, resources);
    return type === "headline" || type === "error" ? dropped : unavailable();
  }
  if (stanza.name === "presence") {
    // §8.5.3.2.2: subscription requests go to the bare JID; the rest is dropped.
    return isSubscription(type) ? toBare(stanza, resources) : dropped;
  }
  // §8.5.3.2.3.
  return type === "get" || type === "set" ? unavailable() : dropped;
}

/** §8.5.2: a bare JID (or the domain, which serves nobody's messages). */
function toBare(stanza: Element, resources: LiveSession[]): Delivery {
  const type = stanza.attrs.type;
  const available = resources.filter((live) => live.presence.available);
  if (stanza.name === "presence") {
    // §8.5.2.1.2 / §8.5.2.2.2: presence to every available resource, whatever its priority; with none, dropped
    // (no roster keeps a subscription request for later). Probes are the server's business, errors nobody's.
    const deliverable = type === undefined || type === "unavailable" || isSubscription(type);
    return deliverable ? { sessions: available } : dropped;
  }
  if (stanza.name === "iq") {
    // §8.5.2.1.3: the server answers for the account, and it serves nothing for another user's bare JID.
    return type === "get" || type === "set" ? unavailable() : dropped;
  }
  const willing = available.filter((live) => live.presence.priority >= 0);
  switch (messageType(stanza)) {
    case "error":
      return dropped;
    case "groupchat":
      // §8.5.2.1.1 / §8.5.2.2.1: never delivered to a user's resources.
      return unavailable();
    case "headline":
      return { sessions: willing };
    default: {
      // chat and normal: the highest priority among the willing – every resource that has it (§8.5.2.1.1 lets the
      // server pick); with none, no offline storage: service-unavailable (§8.5.2.2.1).
      if (willing.length === 0) return unavailable();
      const top = Math.max(...willing.map((live) => live.presence.priority));
      return { sessions: willing.filter((live) => live.presence.priority === top) };
    }
  }
}

/** RFC 6121 §5.2.2: no type, or one we do not know, is `normal`. */
function messageType(message: Element): "chat" | "error" | "groupchat" | "headline" | "normal" {
  const type = message.attrs.type;
  return type === "chat" || type === "error" || type === "groupchat" || type === "headline" ? type : "normal";
}

/** RFC 6121 §3: the four subscription types. */
export const isSubscription = (type: unknown): boolean =>
  type === "subscribe" || type === "subscribed" || type === "unsubscribe" || type === "unsubscribed";
