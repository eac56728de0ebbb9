// One XMPP session per user, shared by every event stream of that user (every tab): its incoming chat and presence
// go to all of them. It ends a grace period after the last stream closes, when the server ends it, or on logout of
// the last token; whoever owns it hears of that through `onEnd`.
import type { XmppClient } from "@reguser/xmppjs";
import xml, { type Element } from "@xmpp/xml";
import { type BridgeEvent, type ConnectEvent, eventOf, type PresenceEvent } from "./bridge-event.js";
import type { EventStream } from "./event-stream.js";

/** Why a session ended. */
export type SessionEnd = "idle" | "logout" | "server" | "shutdown";

/** Most contacts whose presence a session remembers for streams that open later. */
const MAX_REMEMBERED_PRESENCE = 1000;

export class UserSession {
  readonly username: string;
  readonly jid: string;
  profile: ConnectEvent;
  readonly #xmpp: XmppClient & { send(el: Element): Promise<void> };
  readonly #streams = new Set<EventStream>();
  /** The latest available presence of each contact, so a stream that opens later knows who is online. */
  readonly #presence = new Map<string, PresenceEvent>();
  readonly #graceMs: number;
  readonly #onEnd: (why: SessionEnd) => void;
  #grace: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(username: string, xmpp: XmppClient, graceMs: number, onEnd: (why: SessionEnd) => void) {
    this.username = username;
    this.#xmpp = xmpp as XmppClient & { send(el: Element): Promise<void> };
    this.jid = String(xmpp.jid);
    this.#graceMs = graceMs;
    this.#onEnd = onEnd;
    this.profile = { username, name: null, email: null };
    (xmpp as unknown as { on(e: "stanza", l: (el: Element) => void): void }).on("stanza", (stanza) => {
      const event = eventOf(stanza, this.jid);
      // The server echoes our own presence back to us: the page needs to hear of others, not of itself.
      if (event?.name === "chatapi.presence" && event.data.from === this.jid) return;
      if (event?.name === "chatapi.presence") this.#remember(event.data);
      if (event) this.broadcast(event);
    });
    xmpp.on("disconnect", () => void this.end("server"));
    this.#startGrace();
  }

  /** Announce availability (so the server routes chat here) and read the user's name and address (vCard). */
  async begin(timeout: number): Promise<void> {
    await this.#xmpp.send(xml("presence"));
    try {
      const reply = await this.#xmpp.iqCaller.request(
        xml("iq", { type: "get" }, xml("vCard", { xmlns: "vcard-temp" })),
        timeout,
      );
      const card = reply.getChild("vCard", "vcard-temp");
      const email = card?.getChild("EMAIL")?.getChildText("USERID") ?? card?.getChildText("EMAIL") ?? null;
      this.profile = { username: this.username, name: card?.getChildText("FN") || null, email: email || null };
    } catch {
      // No vCard, or a server without vcard-temp: the profile stays username only.
    }
  }

  /** Add an event stream: it gets `onConnect` now and every event from here on. */
  attach(stream: EventStream): void {
    clearTimeout(this.#grace);
    this.#grace = undefined;
    this.#streams.add(stream);
    stream.send({ name: "onConnect", data: this.profile });
    for (const data of this.#presence.values()) stream.send({ name: "chatapi.presence", data });
  }

  /** Remove a stream that closed; the last one starts the grace period. */
  detach(stream: EventStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size === 0) this.#startGrace();
  }

  get streams(): number {
    return this.#streams.size;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Send a message as the user. */
  async sendMessage(message: { to: string; body: string; type: string }): Promise<void> {
    await this.#xmpp.send(xml("message", { to: message.to, type: message.type }, xml("body", {}, message.body)));
  }

  /** Send `event` to every stream of this user. */
  broadcast(event: BridgeEvent): void {
    for (const stream of this.#streams) stream.send(event);
  }

  /** End the XMPP session and close every stream; `onEnd` runs once. */
  async end(why: SessionEnd): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#grace);
    for (const stream of [...this.#streams]) stream.close();
    this.#streams.clear();
    this.#onEnd(why);
    await this.#xmpp.stop().catch(() => {});
  }

  #remember(presence: PresenceEvent): void {
    this.#presence.delete(presence.from);
    if (presence.type !== "available") return;
    this.#presence.set(presence.from, presence);
    if (this.#presence.size > MAX_REMEMBERED_PRESENCE) {
      this.#presence.delete(this.#presence.keys().next().value as string);
    }
  }

  #startGrace(): void {
    clearTimeout(this.#grace);
    this.#grace = setTimeout(() => void this.end("idle"), this.#graceMs);
    this.#grace.unref();
  }
}
