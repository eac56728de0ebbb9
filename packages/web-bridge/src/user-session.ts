// One XMPP session per user, shared by every event stream of that user (every tab): its incoming chat and presence
// go to all of them. It ends a grace period after the last stream closes, when the server ends it, or on logout of
// the last token; whoever owns it hears of that through `onEnd`.
import type { XmppClient } from "@reguser/xmppjs";
import xml, { type Element } from "@xmpp/xml";
import { type BridgeEvent, type ConnectEvent, eventOf } from "./bridge-event.js";
import type { EventStream } from "./event-stream.js";

/** Why a session ended. */
export type SessionEnd = "idle" | "logout" | "server" | "shutdown";

export class UserSession {
  readonly username: string;
  readonly jid: string;
  profile: ConnectEvent;
  readonly #xmpp: XmppClient & { send(el: Element): Promise<void> };
  readonly #streams = new Set<EventStream>();
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

  #startGrace(): void {
    clearTimeout(this.#grace);
    this.#grace = setTimeout(() => void this.end("idle"), this.#graceMs);
    this.#grace.unref();
  }
}
