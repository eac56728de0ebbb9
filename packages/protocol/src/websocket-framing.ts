// RFC 7395 §3.3: over WebSocket every message is one whole element, and `<open/>` and `<close/>` of the framing
// namespace stand where a TCP stream has its header and `</stream:stream>`. The rest of the library reads the
// stream as it does over TCP: this reader hands it a header, elements and an end (docs/websocket.md).
import { LimitExceededError, ProtocolError } from "@reguser/errors";
import xml, { type Element } from "@xmpp/xml";
import { NS } from "./namespaces.js";
import type { StreamHeader } from "./stream-header.js";
import { concatBytes, XmlReader, type XmlReaderEvents } from "./xml-reader.js";

/** RFC 7395 §3.1: the WebSocket subprotocol a client asks for and a server agrees to. */
export const XMPP_SUBPROTOCOL = "xmpp";

/** RFC 7395 §3.3.1: the namespace of `<open/>` and `<close/>`. */
export const FRAMING_NS = "urn:ietf:params:xml:ns:xmpp-framing";

/** The `<open/>` a client sends to start (and, after authentication, restart) a stream over WebSocket. */
export function buildFramingOpen(header: StreamHeader): string {
  const attrs: Record<string, string> = { xmlns: FRAMING_NS };
  if (header.to !== undefined) attrs.to = header.to;
  if (header.from !== undefined) attrs.from = header.from;
  if (header.id !== undefined) attrs.id = header.id;
  attrs.version = header.version ?? "1.0";
  if (header.lang !== undefined) attrs["xml:lang"] = header.lang;
  return xml("open", attrs).toString();
}

/** The `<close/>` that ends a stream over WebSocket. */
export function buildFramingClose(): string {
  return xml("close", { xmlns: FRAMING_NS }).toString();
}

/** Top-level elements that carry `jabber:client` (RFC 7395 §3.3.3: each message says its namespace). */
const STANZAS = new Set(["iq", "message", "presence"]);

/**
 * `el` as one WebSocket message, which inherits no namespace from a stream element: a stanza gains
 * `xmlns='jabber:client'`, a `stream:` element its prefix's declaration (a copy; `el` is left as it is).
 */
export function qualifyForWebSocket(el: Element): Element {
  let declared: Record<string, string> | undefined;
  if (STANZAS.has(el.name) && el.attrs.xmlns === undefined) declared = { xmlns: NS.client };
  else if (el.name.startsWith("stream:") && el.attrs["xmlns:stream"] === undefined)
    declared = { "xmlns:stream": NS.stream };
  if (!declared) return el;
  const copy = xml(el.name, { ...el.attrs, ...declared });
  copy.children = el.children;
  return copy;
}

/** A server over WebSocket writes `<features xmlns='…streams'>`; over TCP, and for the rest of us, `stream:features`. */
function asStreamElement(el: Element): Element {
  if (el.attrs.xmlns === NS.stream && (el.name === "features" || el.name === "error")) {
    el.name = `stream:${el.name}`;
    delete el.attrs.xmlns;
  }
  return el;
}

function isWhitespace(message: Uint8Array): boolean {
  for (const byte of message) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  return true;
}

/** Bytes around each message so that XmlReader sees it as the only child of a root element. */
const WRAP_OPEN = new TextEncoder().encode("<message-frame>");
const WRAP_CLOSE = new TextEncoder().encode("</message-frame>");

/**
 * Reads the messages of one WebSocket, each on its own (RFC 7395 §3.3.3): one element per message, `<open/>` as the
 * stream header, `<close/>` as its end. A message holding two elements, half of one, text or an unknown framing
 * element fails the reader, as does one over `maxStanzaBytes`; nothing is parsed after a failure.
 */
export class WebSocketMessageReader {
  readonly #events: XmlReaderEvents;
  readonly #maxStanzaBytes: number;
  #failed = false;

  constructor(events: XmlReaderEvents, maxStanzaBytes: number) {
    this.#events = events;
    this.#maxStanzaBytes = maxStanzaBytes;
  }

  /** One whole WebSocket message, as received. */
  write(message: Uint8Array): void {
    if (this.#failed) return;
    if (message.length > this.#maxStanzaBytes) {
      this.#fail(new LimitExceededError("stanza size", message.length, this.#maxStanzaBytes));
      return;
    }
    // A whitespace keepalive (RFC 6120 §4.6.1) is out of place over WebSocket (RFC 7395 §4) but harmless.
    if (isWhitespace(message)) return;
    const found = this.#parse(message);
    if (this.#failed || !found) return;
    const el = found;
    if (el.name === "open" || el.name === "close") {
      if (el.attrs.xmlns !== FRAMING_NS) {
        const ns = String(el.attrs.xmlns ?? "").slice(0, 100);
        this.#fail(
          new ProtocolError(
            `The server's <${el.name}/> has an unknown framing namespace '${ns}' (RFC 7395 wants '${FRAMING_NS}')`,
          ),
        );
      } else if (el.name === "open") {
        const { xmlns: _framing, ...attrs } = el.attrs as Record<string, string>;
        this.#events.onHeader({ ...attrs, xmlns: NS.client, "xmlns:stream": NS.stream }, "stream:stream");
      } else {
        this.#events.onEnd();
      }
      return;
    }
    this.#events.onElement(asStreamElement(el));
  }

  /** Nothing is held between messages. */
  flush(): void {}

  /** Ignore everything from now on. */
  stop(): void {
    this.#failed = true;
  }

  /** The message's one element, or undefined when the reader failed on it. */
  #parse(message: Uint8Array): Element | undefined {
    const elements: Element[] = [];
    let ended = false;
    let failure: Error | undefined;
    // XmlReader brings strict UTF-8, the depth limit and the parser's error messages; each message gets its own.
    const reader = new XmlReader(
      {
        onHeader: () => undefined,
        onElement: (el) => elements.push(el),
        onEnd: () => (ended = true),
        onError: (err) => (failure ??= err),
      },
      this.#maxStanzaBytes + WRAP_OPEN.length + WRAP_CLOSE.length,
    );
    reader.write(concatBytes([WRAP_OPEN, message, WRAP_CLOSE]));
    reader.flush();
    reader.stop();
    // Half an element shows as the wrapper's end tag not matching: one message for both.
    if (failure || !ended) {
      const detail = failure ? `: ${failure.message.replace(/^Malformed XML from the server: /, "")}` : "";
      return this.#fail(
        new ProtocolError(
          `A WebSocket message from the server is not one whole XML element (RFC 7395 §3.3.3)${detail}`,
          { cause: failure },
        ),
      );
    }
    if (elements.length !== 1) {
      return this.#fail(
        new ProtocolError(
          `A WebSocket message from the server holds ${elements.length} elements (RFC 7395 §3.3.3: exactly one per message)`,
        ),
      );
    }
    return elements[0];
  }

  #fail(err: Error): undefined {
    if (this.#failed) return undefined;
    this.#failed = true;
    this.#events.onError(err);
    return undefined;
  }
}
