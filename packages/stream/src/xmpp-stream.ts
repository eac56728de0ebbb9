// RFC 6120 §4 an XML stream to a server: send, request, wait, restart, end.
import { randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import { ConnectionError, ProtocolError, redactElement, StreamError, TimeoutError } from "@reguser/errors";
import { getPayload, IqCaller, type IqOptions, type IqSession, type QueryOptions, setPayload } from "@reguser/iq";
import {
  buildStreamHeader,
  NO_FEATURES,
  NS,
  parseStreamFeatures,
  parseStreamHeader,
  STREAM_CLOSE,
  type StreamFeatures,
  type StreamHeader,
  XmlReader,
} from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";
import type { OpenStreamOptions } from "./options.js";

/** The resolved options an `XmppStream` runs with; `openStream` makes them from `OpenStreamOptions`. */
export interface StreamSettings {
  host: string;
  domain: string;
  legacy: boolean;
  timeout: number;
  allowInsecure: boolean;
  maxStanzaBytes: number;
  maxPendingIqs: number;
  /** Receives the traffic, secrets redacted (`OpenStreamOptions.debug`). */
  debug: ((direction: "in" | "out", xml: string) => void) | undefined;
  /** Makes IQ ids (`OpenStreamOptions.ids`); undefined: a random prefix and a counter. */
  ids: (() => string) | undefined;
}

interface ReopenPolicy {
  dial: () => Promise<void>;
  left: number;
  delay: number;
}

interface Waiter {
  match(el: Element): boolean;
  resolve(el: Element): void;
  reject(err: Error): void;
}

/** How long `close()` waits for the server's `</stream:stream>` before dropping the socket. */
const CLOSE_GRACE_MS = 1000;

export class XmppStream implements IqSession {
  readonly host: string;
  readonly domain: string;
  readonly legacy: boolean;
  readonly timeout: number;
  readonly allowInsecure: boolean;
  /** The stream id from the server's header: what digest authentication hashes. */
  id = "";
  /** The server's header attributes (its `version` tells whether features follow). */
  header: StreamHeader = {};
  features: StreamFeatures = NO_FEATURES;
  secure: boolean;
  /** The JID a login bound this stream to (a request with `authenticates` that succeeded). */
  #jid: string | undefined;
  /** How this stream was opened (no socket, no signal): enough to open another like it. */
  openOptions: Readonly<OpenStreamOptions> | undefined;

  #socket: Duplex;
  /** Read when a socket is attached: Node forgets it once the socket closes. */
  #remoteAddress: string | undefined;
  #reader: XmlReader | undefined;
  readonly #settings: StreamSettings;
  readonly #iq: IqCaller;
  readonly #waiters = new Set<Waiter>();
  #headerWaiter: Waiter | undefined;
  /** Features that arrived since the last restart, often in the same packet as the header. */
  #receivedFeatures: Element | undefined;
  #state: "open" | "closing" | "closed" = "open";
  #endExpected = false;
  #endError: Error | undefined;
  #socketError: Error | undefined;
  /** Reopening after a transient refusal (docs/traps.md#trap-4); see `allowReopen`. */
  #reopen: ReopenPolicy | undefined;
  #reopening: Promise<void> | undefined;
  /** Why the restart under way while reopening failed (it may fail after the features arrived). */
  #restartError: Error | undefined;
  /** Something not replayable went out since the stream opened: resending could repeat it. */
  #sentUnsafe = false;
  readonly #ended: Promise<void>;
  #markEnded!: () => void;

  constructor(socket: Duplex, settings: StreamSettings, secure: boolean) {
    this.#settings = settings;
    this.host = settings.host;
    this.domain = settings.domain;
    this.legacy = settings.legacy;
    this.timeout = settings.timeout;
    this.allowInsecure = settings.allowInsecure;
    this.secure = secure;
    this.#ended = new Promise((resolve) => (this.#markEnded = resolve));
    const prefix = randomBytes(4).toString("hex");
    let counter = 0;
    this.#iq = new IqCaller({
      send: (el) => this.#sendStanza(el),
      nextId: settings.ids ?? (() => `${prefix}-${++counter}`),
      defaultTimeout: settings.timeout,
      maxPending: settings.maxPendingIqs,
      serverAddresses: () => this.#serverAddresses(),
    });
    this.#socket = socket;
    this.#attach(socket);
  }

  /** The JID a login bound this stream to, once one succeeded. */
  get jid(): string | undefined {
    return this.#jid;
  }

  /** The stream id from the server's header (IqSession's name for `id`). */
  get streamId(): string {
    return this.id;
  }

  /** The peer's address, for the loopback exemption of the plaintext-password rule. */
  get remoteAddress(): string | undefined {
    return this.#remoteAddress;
  }

  get closed(): boolean {
    return this.#state === "closed";
  }

  /** Resolves when the stream has ended, whatever the reason. */
  get ended(): Promise<void> {
    return this.#ended;
  }

  /** How often this stream was reopened in place after a transient refusal. */
  reopens = 0;

  /** Requests waiting for a reply. */
  get pendingRequests(): number {
    return this.#iq.size;
  }

  /** Send any stanza. Anything but an IQ-get or an IQ reply makes a reopen unsafe (it may have had an effect). */
  send(el: Element): void {
    const type = el.attrs.type;
    if (!(el.name === "iq" && (type === "get" || type === "result" || type === "error"))) this.#sentUnsafe = true;
    this.#sendStanza(el);
  }

  #sendStanza(el: Element): void {
    if (this.#state === "closed") throw this.#endError ?? new ConnectionError("The stream is closed");
    // XML parsers turn a raw CR (or CR LF) into LF (XML 1.0 §2.11): a character reference arrives as sent.
    this.#write(el.toString().replace(/\r/g, "&#13;"), el);
  }

  /** An IQ-get of `payload`: resolves with the result's payload of the same name and namespace, or throws. */
  get(payload: Element, options?: QueryOptions): Promise<Element> {
    return getPayload((iq, o) => this.request(iq, o), payload, options);
  }

  /** An IQ-set of `payload`: resolves with the result's payload, when it carries one. */
  set(payload: Element, options?: QueryOptions): Promise<Element | undefined> {
    return setPayload((iq, o) => this.request(iq, o), payload, options);
  }

  /**
   * Send an IQ and wait for its result; an error reply rejects with a typed `StanzaError`. A request with
   * `authenticates` binds the stream to that JID when it succeeds; one with `endsSession` makes the server's end
   * of the stream an orderly one.
   */
  async request(iq: Element, options?: IqOptions): Promise<Element> {
    if (options?.endsSession) this.#endExpected = true;
    const reply = await this.#request(iq, options);
    if (options?.authenticates) this.#jid = options.authenticates;
    return reply;
  }

  #request(iq: Element, options?: IqOptions): Promise<Element> {
    if (this.#reopening) {
      // Built for the stream being replaced: rebuild it when it knows how (a digest needs the new stream id).
      const rebuilt = typeof options?.replay === "function" ? options.replay : () => iq;
      return this.#reopening.then(() => this.#request(rebuilt(), options));
    }
    if (this.#state !== "open") {
      return Promise.reject(this.#endError ?? new ConnectionError("The stream is closed"));
    }
    // IQ-gets and requests that say so can be sent again if the stream must be reopened.
    if (iq.attrs.type !== "get" && !options?.replay) this.#sentUnsafe = true;
    return this.#iq.request(iq, options);
  }

  /**
   * From now on, an `internal-server-error` stream error that arrives before anything but IQ-gets and replayable
   * requests was sent
   * reopens the stream in place with `dial` (at most `retries` times, after `delay` ms, doubling) and resends
   * the pending gets. jabberd2 refuses a stream opened right after an authenticated one closed this way.
   */
  allowReopen(dial: () => Promise<void>, retries: number, delay: number): void {
    this.#reopen = { dial, left: retries, delay };
    this.#sentUnsafe = false;
  }

  /** Wait for the next top-level element that `match` accepts. */
  waitFor(match: (el: Element) => boolean, what: string, timeout = this.timeout): Promise<Element> {
    if (this.#state === "closed") return Promise.reject(this.#endError ?? new ConnectionError("The stream is closed"));
    return this.#wait(
      match,
      what,
      timeout,
      (waiter) => this.#waiters.add(waiter),
      (waiter) => this.#waiters.delete(waiter),
    );
  }

  /** Send a fresh header and read the server's (and its features on a 1.0 stream). */
  async restart(): Promise<void> {
    this.#receivedFeatures = undefined;
    this.#reader = new XmlReader(
      {
        onHeader: (attrs, name) => this.#onHeader(attrs, name),
        onElement: (el) => this.#onElement(el),
        onEnd: () => this.#onStreamEnd(),
        onError: (err) => this.#fail(err),
      },
      this.#settings.maxStanzaBytes,
    );
    const header = this.#wait(
      () => true,
      "the server's stream header",
      this.timeout,
      (waiter) => (this.#headerWaiter = waiter),
      () => (this.#headerWaiter = undefined),
    );
    this.#write(buildStreamHeader({ to: this.domain, version: this.legacy ? undefined : "1.0" }));
    await header;
    if (!this.header.id) throw this.#fail(new ProtocolError("The server's stream header has no id"));
    this.id = this.header.id;
    // A 1.0 server owes us features; a legacy one may send them anyway (Prosody), usually in the same packet.
    const features = this.header.version?.startsWith("1.")
      ? (this.#receivedFeatures ?? (await this.waitFor((el) => el.name === "stream:features", "stream features")))
      : this.#receivedFeatures;
    this.features = features ? parseStreamFeatures(features) : NO_FEATURES;
    // A stream error may have come in the same packet as the features: the open failed after all.
    if (this.#state === "closed") throw this.#endError ?? new ConnectionError("The stream closed while opening");
    if (this.#reopening && this.#restartError) throw this.#restartError;
  }

  /** Swap the transport (STARTTLS, reopening): the caller restarts the stream afterwards. */
  replaceSocket(socket: Duplex, secure: boolean): void {
    // A dial that finished after the stream was closed (while reopening, say) must not revive it.
    if (this.#state === "closed") {
      socket.destroy();
      throw this.#endError ?? new ConnectionError("The stream is closed");
    }
    this.#detach(this.#socket);
    this.#socket = socket;
    this.secure = secure;
    this.#attach(socket);
  }

  /** Close politely: `</stream:stream>`, wait briefly for the server's, then drop the socket. */
  async close(): Promise<void> {
    if (this.#state !== "open") return this.#ended;
    // Between two sockets while reopening: there is nobody to say goodbye to.
    if (this.#reopening) return this.#finish();
    this.#state = "closing";
    this.#endExpected = true;
    try {
      this.#write(STREAM_CLOSE);
    } catch {
      // the socket is already gone: nothing to say goodbye to
    }
    const grace = setTimeout(() => this.#finish(), CLOSE_GRACE_MS);
    await this.#ended;
    clearTimeout(grace);
  }

  /** Drop the connection at once, failing every waiting request with `reason`. */
  destroy(reason: Error = new ConnectionError("The stream was destroyed")): void {
    this.#fail(reason);
  }

  #serverAddresses(): string[] {
    const domain = this.domain.toLowerCase();
    const addresses = [domain];
    if (this.#jid) {
      const full = this.#jid.toLowerCase();
      addresses.push(full, full.split("/")[0] as string);
    }
    return addresses;
  }

  #write(text: string, el?: Element): void {
    const debug = this.#settings.debug;
    if (debug) debug("out", el ? redactElement(el).toString() : text);
    this.#socket.write(text);
  }

  #wait(
    match: (el: Element) => boolean,
    what: string,
    timeout: number,
    add: (w: Waiter) => void,
    remove: (w: Waiter) => void,
  ): Promise<Element> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => waiter.reject(new TimeoutError(`Waiting for ${what}`, timeout)), timeout);
      const done = () => {
        clearTimeout(timer);
        remove(waiter);
      };
      const waiter: Waiter = {
        match,
        resolve: (el) => (done(), resolve(el)),
        reject: (err) => (done(), reject(err)),
      };
      add(waiter);
    });
  }

  #attach(socket: Duplex): void {
    this.#remoteAddress = (socket as { remoteAddress?: string }).remoteAddress ?? this.#remoteAddress;
    socket.on("data", this.#onData);
    socket.on("error", this.#onSocketError);
    socket.on("close", this.#onSocketClose);
  }

  #detach(socket: Duplex): void {
    socket.off("data", this.#onData);
    socket.off("error", this.#onSocketError);
    socket.off("close", this.#onSocketClose);
  }

  #onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    this.#reader?.write(bytes);
  };

  #onSocketError = (err: Error): void => {
    this.#socketError = err;
  };

  #onSocketClose = (): void => {
    // Whatever arrived before the close is parsed first: a final stanza or </stream:stream> still counts.
    this.#reader?.flush();
    const cause = this.#socketError;
    const detail = cause ? `: ${cause.message}` : "";
    this.#endOrFail(new ConnectionError(`The connection to ${this.host} closed unexpectedly${detail}`, { cause }));
  };

  #onHeader(attrs: Record<string, string>, name: string): void {
    // RFC 6120 §4.8: anything but a jabber:client stream is refused (invalid-namespace), not half-understood.
    const content = attrs.xmlns;
    if (name !== "stream:stream" || attrs["xmlns:stream"] !== NS.stream || (content && content !== NS.client)) {
      const got = `<${name}> xmlns:stream='${attrs["xmlns:stream"] ?? ""}' xmlns='${content ?? ""}'`.slice(0, 200);
      this.#fail(new ProtocolError(`The server's stream header has an unknown name or namespace: ${got}`));
      return;
    }
    this.header = parseStreamHeader(attrs);
    this.#settings.debug?.("in", buildStreamHeader(this.header));
    this.#headerWaiter?.resolve(xml("stream:stream", attrs));
  }

  #onElement(el: Element): void {
    // Servers quote requests back (docs/traps.md#trap-7), even in free text: scrub what we sent.
    const debug = this.#settings.debug;
    if (debug) debug("in", redactElement(el, this.#iq.secrets()).toString());
    if (el.name === "stream:error") {
      const err = StreamError.fromElement(el, this.#iq.secrets());
      if (this.#reopening) this.#failRestart(err);
      else if (this.#mayReopen(err)) this.#reopenInPlace();
      else this.#endOrFail(err);
      return;
    }
    const waiter = [...this.#waiters].find((w) => w.match(el));
    if (waiter) {
      waiter.resolve(el);
    } else if (this.#iq.handle(el)) {
      // answered a request
    } else if (el.name === "iq" && (el.attrs.type === "get" || el.attrs.type === "set")) {
      this.#refuse(el);
    } else if (el.name === "stream:features") {
      this.#receivedFeatures = el;
      this.features = parseStreamFeatures(el);
    }
  }

  /** RFC 6120 §8.2.3: every IQ get/set gets an answer; we serve none. */
  #refuse(iq: Element): void {
    const reply = xml(
      "iq",
      { type: "error", id: iq.attrs.id, ...(iq.attrs.from ? { to: iq.attrs.from } : {}) },
      xml("error", { type: "cancel" }, xml("service-unavailable", { xmlns: NS.stanzas })),
    );
    this.send(reply);
  }

  #mayReopen(err: StreamError): boolean {
    const r = this.#reopen;
    const safe =
      !this.#sentUnsafe && this.#iq.allReplayable() && !this.#reopening && !this.#endExpected && this.#state === "open";
    return err.condition === "internal-server-error" && r !== undefined && r.left > 0 && safe;
  }

  #reopenInPlace(): void {
    this.#retireSocket();
    this.#reopening = this.#redial(this.#reopen as ReopenPolicy).then(
      () => {
        this.#reopening = undefined;
        this.#sentUnsafe = false;
        this.#iq.resendAll();
      },
      (err: Error) => {
        this.#reopening = undefined;
        this.#fail(err);
      },
    );
  }

  /** Dial and negotiate again, as often as the policy allows while the server keeps refusing. */
  async #redial(r: ReopenPolicy): Promise<void> {
    for (;;) {
      r.left -= 1;
      this.reopens += 1;
      await this.#pause(r.delay);
      r.delay *= 2;
      if (this.#state === "closed") throw this.#endError ?? new ConnectionError("The stream was closed");
      try {
        this.#restartError = undefined;
        await r.dial();
        return;
      } catch (err) {
        const refused = err instanceof StreamError && err.condition === "internal-server-error";
        if (!refused || r.left <= 0) throw err;
        this.#retireSocket();
      }
    }
  }

  /** Wait `ms`, or less if the stream ends meanwhile (then no timer is left behind). */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      void this.#ended.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Stop listening to the current socket: its parser may still hold the rest of a packet. */
  #retireSocket(): void {
    this.#reader?.stop();
    this.#detach(this.#socket);
    this.#socket.destroy();
  }

  /** While reopening, a failure ends only the attempt: the redial loop decides what comes next. */
  #failRestart(err: Error): void {
    this.#restartError ??= err;
    this.#headerWaiter?.reject(err);
    for (const waiter of [...this.#waiters]) waiter.reject(err);
  }

  #onStreamEnd(): void {
    this.#endOrFail(new ConnectionError(`The server at ${this.host} closed the stream`));
  }

  /** An end we announced (`close`, a request with `endsSession`) is orderly; any other is a failure. */
  #endOrFail(err: Error): void {
    if (this.#reopening) {
      this.#failRestart(err);
      return;
    }
    if (this.#endExpected) this.#finish();
    else this.#fail(err);
  }

  /** The orderly end: anything still waiting learns the stream is gone. */
  #finish(): void {
    if (this.#state === "closed") return;
    this.#end(new ConnectionError("The stream was closed"));
  }

  #fail(err: Error): Error {
    if (this.#state !== "closed") {
      this.#endError = err;
      this.#end(err);
    }
    return err;
  }

  #end(reason: Error): void {
    this.#state = "closed";
    this.#reader?.stop();
    this.#iq.rejectAll(reason);
    this.#headerWaiter?.reject(reason);
    for (const waiter of [...this.#waiters]) waiter.reject(reason);
    this.#socket.destroy();
    this.#markEnded();
  }
}
