// RFC 6120 §4 the machinery under an XmppStream: its one status, the IQ path, and what its end means (the bytes,
// headers and features are the wire's). Package-private: openStream, STARTTLS and reopening drive it.
import { ConnectionError, StreamError } from "@reguser/errors";
import { IqCaller, type IqOptions } from "@reguser/iq";
import { NS, randomHex } from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";
import type { StreamSettings } from "./options.js";
import type { Transport } from "./transport.js";
import { StreamWire } from "./wire.js";

/**
 * Where a stream is in its life: `opening` (headers, features, STARTTLS), `open`, `ending` (open, but a request
 * asked the server to end it, so its end is orderly), `reopening` (in place after a transient refusal),
 * `closing` (our `</stream:stream>` went out) and `closed`.
 */
export type StreamStatus = "opening" | "open" | "ending" | "reopening" | "closing" | "closed";

type State =
  | { status: "opening" | "open" | "ending" | "closing" }
  /** `done` settles when the reopen succeeded or failed; `failure` ends only the attempt under way. */
  | { status: "reopening"; done: Promise<void>; failure: Error | undefined }
  | { status: "closed"; reason: Error };

/** What reopening in place (reopen.ts) hears from the stream it drives. */
export interface RefusalWatcher {
  /** How often the stream was dialled again. */
  readonly reopens: number;
  /** A stanza went out; `replayable` when sending it again on a new stream would change nothing. */
  sent(replayable: boolean): void;
  /** A stream error on an open stream: true when the watcher takes it over (and reopens), false to end the stream. */
  refused(err: StreamError): boolean;
}

/** How long `close()` waits for the server's `</stream:stream>` before dropping the transport. */
const CLOSE_GRACE_MS = 1000;

/** One client stream's state and wire work; `XmppStream` is its public face. */
export class StreamCore {
  /** The resolved options the stream runs with. */
  readonly settings: StreamSettings;
  #state: State = { status: "opening" };
  /** The bytes: the transport, the header exchange, the features (`wire.features`, `wire.header`…). */
  readonly wire: StreamWire;
  #id = "";
  #jid: string | undefined;
  #watcher: RefusalWatcher | undefined;
  readonly #iq: IqCaller;
  readonly #ended: Promise<void>;
  #markEnded!: () => void;

  /** A stream over `transport`, not yet opened: `restart()` sends the first header. */
  constructor(transport: Transport, settings: StreamSettings) {
    this.settings = settings;
    this.#ended = new Promise((resolve) => (this.#markEnded = resolve));
    const prefix = randomHex(4);
    let counter = 0;
    this.#iq = new IqCaller({
      send: (el) => this.#sendStanza(el),
      nextId: settings.ids ?? (() => `${prefix}-${++counter}`),
      defaultTimeout: settings.timeout,
      maxPending: settings.maxPendingIqs,
      serverAddresses: () => this.#serverAddresses(),
    });
    this.wire = new StreamWire(transport, settings, {
      streamError: (el) => this.#onStreamError(el),
      element: (el) => this.#onElement(el),
      closed: (err) => this.#endOrFail(err),
      failed: (err) => this.#fail(err),
      secrets: () => this.#iq.secrets(),
    });
  }

  /** Where the stream is in its life. */
  get status(): StreamStatus {
    return this.#state.status;
  }

  /** The stream id from the server's last header. */
  get id(): string {
    return this.#id;
  }

  /** The JID a login bound the stream to. */
  get jid(): string | undefined {
    return this.#jid;
  }

  /** Resolves when the stream has ended. */
  get ended(): Promise<void> {
    return this.#ended;
  }

  /** Requests waiting for a reply. */
  get pendingRequests(): number {
    return this.#iq.size;
  }

  /** How often the stream was dialled again after a transient refusal. */
  get reopens(): number {
    return this.#watcher?.reopens ?? 0;
  }

  /** The open succeeded (openStream): requests may go out. */
  opened(): void {
    if (this.#state.status === "opening") this.#state = { status: "open" };
  }

  /** Let `watcher` take over transient refusals (reopen.ts). */
  watch(watcher: RefusalWatcher): void {
    this.#watcher = watcher;
  }

  /** The IQ path: waits out a reopen (rebuilding a replayable request), binds a login's JID, notes an end asked for. */
  request(iq: Element, options?: IqOptions): Promise<Element> {
    const state = this.#state;
    if (state.status === "reopening") {
      // Built for the stream being replaced: rebuild it when it knows how (a digest needs the new stream id).
      const rebuilt = typeof options?.replay === "function" ? options.replay : () => iq;
      return state.done.then(async () => this.request(await rebuilt(), options));
    }
    if (state.status !== "open" && state.status !== "ending") return Promise.reject(this.unusable());
    if (options?.endsSession) this.#state = { status: "ending" };
    // IQ-gets and requests that say so can be sent again if the stream must be reopened.
    this.#watcher?.sent(iq.attrs.type === "get" || Boolean(options?.replay));
    const reply = this.#iq.request(iq, options);
    const jid = options?.authenticates;
    if (jid === undefined) return reply;
    return reply.then((result) => {
      this.#jid = jid;
      return result;
    });
  }

  /** Send any stanza. Anything but an IQ-get or an IQ reply would make a reopen unsafe (it may have had an effect). */
  send(el: Element): void {
    const type = el.attrs.type;
    this.#watcher?.sent(el.name === "iq" && (type === "get" || type === "result" || type === "error"));
    this.#sendStanza(el);
  }

  /** Wait for the next top-level element that `match` accepts. */
  waitFor(match: (el: Element) => boolean, what: string, timeout = this.settings.timeout): Promise<Element> {
    if (this.#state.status === "closed") return Promise.reject(this.unusable());
    return this.wire.waitFor(match, what, timeout);
  }

  /** Send a fresh header and read the server's (and its features on a 1.0 stream). */
  async restart(): Promise<void> {
    this.#id = await this.wire.restart();
    // A stream error may have come in the same packet as the features: the open failed after all.
    const state = this.#state;
    if (state.status === "closed") throw this.unusable();
    if (state.status === "reopening" && state.failure) throw state.failure;
  }

  /** Swap the transport (STARTTLS, reopening): the caller restarts the stream afterwards. */
  useTransport(transport: Transport): void {
    // A dial that finished after the stream was closed (while reopening, say) must not revive it.
    if (this.#state.status === "closed") {
      transport.destroy();
      throw this.unusable();
    }
    this.wire.useTransport(transport);
  }

  /** Whether every waiting request may be sent again on a reopened stream. */
  replayable(): boolean {
    return this.#iq.allReplayable();
  }

  /** Reopen in place: drop the refused transport, let `run` dial and negotiate again, then resend what waits. */
  reopen(run: () => Promise<void>): void {
    let settle!: () => void;
    this.#state = { status: "reopening", done: new Promise((resolve) => (settle = resolve)), failure: undefined };
    this.wire.drop();
    void run()
      .then(
        () => {
          if (this.#state.status !== "reopening") return;
          this.#state = { status: "open" };
          this.#iq.resendAll();
        },
        (err: Error) => this.#fail(err),
      )
      .finally(settle);
  }

  /** A new reopen attempt begins: the last one's failure is forgotten. */
  startAttempt(): void {
    if (this.#state.status === "reopening") this.#state.failure = undefined;
  }

  /** Drop the transport of a failed attempt: its parser may still hold the rest of a packet. */
  retire(): void {
    this.wire.drop();
  }

  /** Close politely: `</stream:stream>`, wait briefly for the server's, then drop the transport. */
  async close(): Promise<void> {
    const status = this.#state.status;
    // Between two transports while reopening: there is nobody to say goodbye to.
    if (status === "reopening") return this.#finish();
    if (status === "closing" || status === "closed") return this.#ended;
    this.#state = { status: "closing" };
    try {
      this.wire.sendClose();
    } catch {
      // the transport is already gone: nothing to say goodbye to
    }
    const grace = setTimeout(() => this.#finish(), CLOSE_GRACE_MS);
    await this.#ended;
    clearTimeout(grace);
  }

  /** Drop the connection at once, failing everything that waits with `reason`. */
  destroy(reason: Error): void {
    this.#fail(reason);
  }

  /** Why the stream takes nothing more: the reason it ended, or that it is closing. */
  unusable(): Error {
    return this.#state.status === "closed" ? this.#state.reason : new ConnectionError("The stream is closed");
  }

  #serverAddresses(): string[] {
    const addresses = [this.settings.domain.toLowerCase()];
    if (this.#jid) {
      const full = this.#jid.toLowerCase();
      addresses.push(full, full.split("/")[0] as string);
    }
    return addresses;
  }

  #sendStanza(el: Element): void {
    if (this.#state.status === "closed") throw this.unusable();
    this.wire.sendStanza(el);
  }

  #onStreamError(el: Element): void {
    const err = StreamError.fromElement(el, this.#iq.secrets());
    if (this.#state.status === "reopening") this.#failAttempt(err);
    else if (!(this.#state.status === "open" && this.#watcher?.refused(err))) this.#endOrFail(err);
  }

  #onElement(el: Element): void {
    if (this.#iq.handle(el)) return;
    if (el.name === "iq" && (el.attrs.type === "get" || el.attrs.type === "set")) {
      // RFC 6120 §8.2.3: every IQ get/set gets an answer; we serve none.
      const to = el.attrs.from ? { to: el.attrs.from } : {};
      const unavailable = xml("service-unavailable", { xmlns: NS.stanzas });
      this.send(xml("iq", { type: "error", id: el.attrs.id, ...to }, xml("error", { type: "cancel" }, unavailable)));
    }
  }

  /** An end we announced (`close`, a request with `endsSession`) is orderly; any other is a failure. */
  #endOrFail(err: Error): void {
    const status = this.#state.status;
    if (status === "reopening") this.#failAttempt(err);
    else if (status === "closing" || status === "ending") this.#finish();
    else this.#fail(err);
  }

  /** While reopening, a failure ends only the attempt: the reopener decides what comes next. */
  #failAttempt(err: Error): void {
    if (this.#state.status === "reopening") this.#state.failure ??= err;
    this.wire.rejectWaiters(err);
  }

  /** The orderly end: anything still waiting learns the stream is gone. */
  #finish(): void {
    this.#fail(new ConnectionError("The stream was closed"));
  }

  /** End the stream (once) with `reason`: every waiter and request rejects with it. */
  #fail(reason: Error): Error {
    if (this.#state.status === "closed") return reason;
    this.#state = { status: "closed", reason };
    this.#iq.rejectAll(reason);
    this.wire.end(reason);
    this.#markEnded();
    return reason;
  }
}
