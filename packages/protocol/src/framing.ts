// How a stream's XML is cut into what a transport carries: one long document over TCP (RFC 6120 §4), one element
// per message over WebSocket (RFC 7395 §3.3). Client and server ask their transport which; the rest is the same.
import type { Element } from "@xmpp/xml";
import { buildStreamHeader, STREAM_CLOSE, type StreamHeader } from "./stream-header.js";
import {
  buildFramingClose,
  buildFramingOpen,
  qualifyForWebSocket,
  WebSocketMessageReader,
} from "./websocket-framing.js";
import { XmlReader, type XmlReaderEvents } from "./xml-reader.js";

/** Reads one stream's worth of what arrives (a restart takes a new one). */
export interface FrameReader {
  /** Bytes from the transport: a packet over TCP, one message over WebSocket. */
  write(data: Uint8Array): void;
  /** Parse what is held back (the transport is closing). */
  flush(): void;
  /** Ignore everything from now on. */
  stop(): void;
}

/** The text a stream starts and ends with, stanzas as they go out, and the reader of what comes in. */
export interface Framing {
  /** `tcp` (RFC 6120) or `websocket` (RFC 7395). */
  readonly name: "tcp" | "websocket";
  /** What opens, and after STARTTLS or authentication restarts, the stream. */
  open(header: StreamHeader): string;
  /** What ends the stream. */
  close(): string;
  /** A top-level element as it goes out. */
  outgoing(el: Element): Element;
  /** A reader for one stream's worth of input. */
  reader(events: XmlReaderEvents, maxStanzaBytes: number): FrameReader;
}

/** RFC 6120 over TCP: `<stream:stream>`, stanzas in it, `</stream:stream>`. */
export const TCP_FRAMING: Framing = {
  name: "tcp",
  open: buildStreamHeader,
  close: () => STREAM_CLOSE,
  outgoing: (el) => el,
  reader: (events, maxStanzaBytes) => new XmlReader(events, maxStanzaBytes),
};

/** RFC 7395 over WebSocket: `<open/>`, one stanza per message, each with its namespace, `<close/>`. */
export const WEBSOCKET_FRAMING: Framing = {
  name: "websocket",
  open: buildFramingOpen,
  close: buildFramingClose,
  outgoing: qualifyForWebSocket,
  reader: (events, maxStanzaBytes) => new WebSocketMessageReader(events, maxStanzaBytes),
};
