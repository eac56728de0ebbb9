// RFC 6121 §4 presence without rosters: broadcast to the user's own resources (and, with presenceToAll, to every
// available local user), directed presence remembered until the unavailable, subscription requests passed on.
import xml, { type Element } from "@xmpp/xml";
import type { LiveSession, SessionRegistry } from "../sessions/registry.js";
import { isSubscription } from "./delivery.js";
import { bareJid, parseJid } from "./jid.js";
import type { Route } from "./route.js";
import { addressed } from "./stanza.js";

export interface PresenceDeps {
  sessions: Pick<SessionRegistry, "all" | "get" | "ofUser">;
  /** Every local user is every other's contact: the "shared roster" option. */
  presenceToAll: boolean;
  route: Route;
}

export interface PresenceSteps {
  /** A presence stanza from a bound resource. */
  outbound(sender: LiveSession, presence: Element): void;
  /** A bound resource's stream ended: who saw it available (or got its directed presence) hears it is gone. */
  offline(gone: LiveSession): void;
}

export function presenceSteps({ sessions, presenceToAll, route }: PresenceDeps): PresenceSteps {
  /** Who hears `of`'s broadcast presence: its user's available resources (itself included, §4.2.2) and its contacts. */
  const audience = (of: LiveSession): LiveSession[] =>
    sessions.all().filter((peer) => peer.presence.available && (presenceToAll || peer.username === of.username));

  /** §4.6.3: the sessions `of`'s directed available presence reached, those still bound. */
  const directedTo = (of: LiveSession): LiveSession[] =>
    [...of.presence.directed].flatMap((jid) => sessions.get(jid) ?? []);

  const send = (presence: Element, to: Iterable<LiveSession>) => {
    for (const peer of new Set(to)) peer.deliver(addressed(presence, { to: peer.jid }));
  };

  /** §4.2.2 / §4.4.2: available; an initial presence is also shown what its audience is (the probes' answers). */
  const available = (sender: LiveSession, presence: Element) => {
    const initial = !sender.presence.available;
    const stamped = addressed(presence, { from: sender.jid });
    Object.assign(sender.presence, { available: true, priority: priorityOf(presence), last: stamped });
    const peers = audience(sender);
    send(stamped, peers);
    if (!initial) return;
    for (const peer of peers) {
      if (peer !== sender && peer.presence.last) sender.deliver(addressed(peer.presence.last, { to: sender.jid }));
    }
  };

  /** §4.5.2: unavailable to everyone who could see it, and to where directed presence went; then forgotten. */
  const unavailable = (sender: LiveSession, presence: Element) => {
    const recipients = [...(sender.presence.available ? audience(sender) : []), ...directedTo(sender)];
    Object.assign(sender.presence, { available: false, priority: 0, last: undefined });
    sender.presence.directed.clear();
    send(addressed(presence, { from: sender.jid }), recipients);
  };

  /** §4.6.2: presence with a `to`; the resources an available one reached are remembered until it is unavailable. */
  const directed = (sender: LiveSession, presence: Element) => {
    const reached = route(addressed(presence, { from: sender.jid }), sender);
    const { directed } = sender.presence;
    for (const jid of reached) {
      if (presence.attrs.type === "unavailable") directed.delete(jid);
      else directed.add(jid);
    }
  };

  return {
    outbound(sender, presence) {
      const type = presence.attrs.type;
      if (presence.attrs.to === undefined) {
        if (type === undefined) available(sender, presence);
        else if (type === "unavailable" && isVisible(sender)) unavailable(sender, presence);
        // Anything else without an address has nobody to go to.
        return;
      }
      if (type === undefined || type === "unavailable") directed(sender, presence);
      else if (isSubscription(type)) {
        // RFC 6121 §3.1.2: between bare JIDs, stamped with the user's; no roster keeps any state of it.
        const to = parseJid(String(presence.attrs.to));
        route(addressed(presence, { from: sender.bare, to: to ? bareJid(to) : String(presence.attrs.to) }), sender);
      } else if (type === "error") route(addressed(presence, { from: sender.jid }), sender);
      // A client's probe (§4.3: the server's to send) and unknown types are dropped.
    },
    offline(gone) {
      if (isVisible(gone)) unavailable(gone, xml("presence", { type: "unavailable" }));
    },
  };
}

/** Someone may have seen it available: it broadcast available presence, or sent some directed. */
const isVisible = (live: LiveSession): boolean => live.presence.available || live.presence.directed.size > 0;

/** RFC 6121 §4.7.2.3: an integer from −128 to +127; anything else (or none) counts as 0. */
function priorityOf(presence: Element): number {
  const text = presence.getChildText("priority")?.trim() ?? "";
  if (!/^[+-]?\d{1,3}$/.test(text)) return 0;
  const priority = Number(text);
  return priority >= -128 && priority <= 127 ? priority : 0;
}
