// RFC 6120 §4.7-4.8 the stream on the wire: one transport at a time, the header exchange, features, and the
// elements a stream step waits for. What the elements mean is StreamCore's business.
import { ConnectionError, ProtocolError, redactElement } from "@reguser/errors";
import {
  type FrameReader,
  NO_FEATURES,
  NS,
  parseStreamFeatures,
  parseStreamHeader,
  type StreamFeatures,
  type StreamHeader,
} from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";
import type { StreamSettings } from "./options.js";
import type { Transport, TransportListener } from "./transport.js";
import { Waiters } from "./waiters.js";

/** What the wire tells the stream it carries. */
export interface WireEvents {
  /** A `<stream:error/>` arrived. */
  streamError(el: Element): void;
  /** A top-level element no stream step waited for (an IQ, a message…). */
  element(el: Element): void;
  /** The transport closed, or the server ended the stream (`</stream:stream>`). */
  closed(err: Error): void;
  /** The server broke the rules (malformed XML, a limit crossed, a foreign header): the stream must end. */
  failed(err: Error): void;
  /** Strings to scrub from the debug output. */
  secrets(): readonly string[];
}

/** A stream's bytes: the transport, the reader of the current header exchange, and what the server declared. */
export class StreamWire {
  readonly #settings: StreamSettings;
  readonly #events: WireEvents;
  #transport: Transport;
  #unlisten: () => void;
  #remoteAddress: string | undefined;
  #reader: FrameReader | undefined;
  #header: StreamHeader = {};
  #features: StreamFeatures = NO_FEATURES;
  /** Features that arrived since the last restart, often in the same packet as the header. */
  #receivedFeatures: Element | undefined;
  readonly #headers = new Waiters();
  readonly #waiters = new Waiters();
  /** Why the stream ended (`end`): every later wait rejects with it. */
  #endReason: Error | undefined;
  readonly #listener: TransportListener = {
    data: (bytes) => this.#reader?.write(bytes),
    close: (cause) => {
      // Whatever arrived before the close is parsed first: a final stanza or </stream:stream> still counts.
      this.#reader?.flush();
      const detail = cause ? `: ${cause.message}` : "";
      const host = this.#settings.host;
      this.#events.closed(
        new ConnectionError(`The connection to ${host} closed unexpectedly${detail}`, { cause, lost: true }),
      );
    },
    failed: (err) => {
      this.#reader?.stop();
      this.#events.failed(err);
    },
  };

  /** Listen to `transport` and report to `events`; nothing is sent before `restart()`. */
  constructor(transport: Transport, settings: StreamSettings, events: WireEvents) {
    this.#settings = settings;
    this.#events = events;
    this.#transport = transport;
    this.#remoteAddress = transport.remoteAddress;
    this.#unlisten = transport.listen(this.#listener);
  }

  /** The transport in use. */
  get transport(): Transport {
    return this.#transport;
  }

  /** The peer's address: the last one a transport knew. */
  get remoteAddress(): string | undefined {
    return this.#remoteAddress;
  }

  /** The server's last header. */
  get header(): StreamHeader {
    return this.#header;
  }

  /** The features the server offered last. */
  get features(): StreamFeatures {
    return this.#features;
  }

  /** Write a stanza, its secrets redacted in the debug output. */
  sendStanza(el: Element): void {
    // XML parsers turn a raw CR (or CR LF) into LF (XML 1.0 §2.11): a character reference arrives as sent.
    this.write(this.#transport.framing.outgoing(el).toString().replace(/\r/g, "&#13;"), el);
  }

  /** Say the stream is over (`</stream:stream>`, or `<close/>` over WebSocket). */
  sendClose(): void {
    this.write(this.#transport.framing.close());
  }

  /** Write raw text (a header, `</stream:stream>`); `el` is what the debug output shows instead, redacted. */
  write(text: string, el?: Element): void {
    const debug = this.#settings.debug;
    if (debug) debug("out", el ? redactElement(el).toString() : text);
    this.#transport.write(text);
  }

  /** Wait for the next top-level element that `match` accepts. */
  waitFor(match: (el: Element) => boolean, what: string, timeout: number): Promise<Element> {
    // The end may have come in the packet that answered the last wait (a stream error right after the header).
    if (this.#endReason) return Promise.reject(this.#endReason);
    return this.#waiters.wait(match, what, timeout);
  }

  /** Send a fresh header and read the server's (and its features on a 1.0 stream); returns the stream id. */
  async restart(): Promise<string> {
    const settings = this.#settings;
    this.#receivedFeatures = undefined;
    const framing = this.#transport.framing;
    this.#reader = framing.reader(
      {
        onHeader: (attrs, name) => this.#onHeader(attrs, name),
        onElement: (el) => this.#onElement(el),
        onEnd: () => {
          settings.debug?.("in", framing.close());
          this.#events.closed(new ConnectionError(`The server at ${settings.host} closed the stream`, { lost: true }));
        },
        onError: (err) => this.#events.failed(err),
      },
      settings.maxStanzaBytes,
    );
    const header = this.#headers.wait(() => true, "the server's stream header", settings.timeout);
    this.write(framing.open({ to: settings.domain, version: settings.legacy ? undefined : "1.0" }));
    await header;
    const id = this.#header.id;
    if (!id) {
      const err = new ProtocolError("The server's stream header has no id");
      this.#events.failed(err);
      throw err;
    }
    // A 1.0 server owes us features; a legacy one may send them anyway (Prosody), usually in the same packet.
    const features = this.#header.version?.startsWith("1.")
      ? (this.#receivedFeatures ??
        (await this.waitFor((el) => el.name === "stream:features", "stream features", settings.timeout)))
      : this.#receivedFeatures;
    this.#features = features ? parseStreamFeatures(features) : NO_FEATURES;
    return id;
  }

  /** Swap the transport (STARTTLS, reopening): the caller restarts the stream afterwards. */
  useTransport(transport: Transport): void {
    this.#unlisten();
    this.#transport = transport;
    this.#remoteAddress = transport.remoteAddress ?? this.#remoteAddress;
    this.#unlisten = transport.listen(this.#listener);
  }

  /** Fail every step waiting for an element (the header included). */
  rejectWaiters(err: Error): void {
    this.#headers.rejectAll(err);
    this.#waiters.rejectAll(err);
  }

  /** The stream is over: fail what waits, now and later, with `reason`, and drop the transport. */
  end(reason: Error): void {
    this.#endReason ??= reason;
    this.rejectWaiters(reason);
    this.drop();
  }

  /** Stop reading and drop the transport; a restart on another transport may follow. */
  drop(): void {
    this.#reader?.stop();
    this.#unlisten();
    this.#transport.destroy();
  }

  #onHeader(attrs: Record<string, string>, name: string): void {
    // RFC 6120 §4.8: anything but a jabber:client stream is refused (invalid-namespace), not half-understood.
    const content = attrs.xmlns;
    if (name !== "stream:stream" || attrs["xmlns:stream"] !== NS.stream || (content && content !== NS.client)) {
      const got = `<${name}> xmlns:stream='${attrs["xmlns:stream"] ?? ""}' xmlns='${content ?? ""}'`.slice(0, 200);
      this.#events.failed(new ProtocolError(`The server's stream header has an unknown name or namespace: ${got}`));
      return;
    }
    this.#header = parseStreamHeader(attrs);
    this.#settings.debug?.("in", this.#transport.framing.open(this.#header));
    this.#headers.offer(xml("stream:stream", attrs));
  }

  #onElement(el: Element): void {
    // Servers quote requests back (docs/traps.md#trap-7), even in free text: scrub what we sent.
    const debug = this.#settings.debug;
    if (debug) debug("in", redactElement(el, this.#events.secrets()).toString());
    if (el.name === "stream:error") {
      this.#events.streamError(el);
    } else if (this.#waiters.offer(el)) {
      // a stream step took it
    } else if (el.name === "stream:features") {
      this.#receivedFeatures = el;
      this.#features = parseStreamFeatures(el);
    } else {
      this.#events.element(el);
    }
  }
}
