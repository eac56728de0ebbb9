// The events of the seed's page, built as objects and sent with JSON.stringify (the seed's plugin concatenated
// strings: a quote in a body broke its JSON). Pure: stanzas in, events out.
import type { Element } from "@xmpp/xml";

/** `onConnect`: who the stream belongs to. */
export interface ConnectEvent {
  username: string;
  name: string | null;
  email: string | null;
}

/** `chatapi.chat`: a message with a body (chat, normal, headline). */
export interface ChatEvent {
  type: string;
  from: string;
  to: string;
  body: string;
}

/** `chatapi.presence`: someone's presence changed. */
export interface PresenceEvent {
  from: string;
  type: string;
  show: string | null;
  status: string | null;
}

/** `bridge.dropped`: events this connection lost because it read too slowly. */
export interface DroppedEvent {
  dropped: number;
}

export type BridgeEvent =
  | { name: "onConnect"; data: ConnectEvent }
  | { name: "chatapi.chat"; data: ChatEvent }
  | { name: "chatapi.presence"; data: PresenceEvent }
  | { name: "bridge.dropped"; data: DroppedEvent };

const DELIVERED_TYPES = new Set(["chat", "normal", "headline"]);

/** The event for an incoming stanza, or undefined for one the page is not shown (an IQ, an error, no body). */
export function eventOf(stanza: Element, me: string): BridgeEvent | undefined {
  if (stanza.name === "message") {
    const type = stanza.attrs.type ?? "normal";
    const body = stanza.getChildText("body");
    if (!DELIVERED_TYPES.has(type) || body === null) return undefined;
    return { name: "chatapi.chat", data: { type, from: stanza.attrs.from ?? "", to: stanza.attrs.to ?? me, body } };
  }
  if (stanza.name === "presence") {
    const type = stanza.attrs.type ?? "available";
    if (type === "error") return undefined;
    const data = {
      from: stanza.attrs.from ?? "",
      type,
      show: stanza.getChildText("show"),
      status: stanza.getChildText("status"),
    };
    return { name: "chatapi.presence", data };
  }
  return undefined;
}

/** One SSE frame: `event:` and `data:` lines (JSON, so never a raw newline), then a blank line. */
export function frame(event: BridgeEvent): string {
  return `event: ${event.name}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
