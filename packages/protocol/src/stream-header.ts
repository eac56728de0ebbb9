// RFC 6120 §4.7 and the book's Example 7-1: the stream header, the one raw string of the protocol.
import xml from "@xmpp/xml";
import { NS } from "./namespaces.js";

export interface StreamHeader {
  to?: string | undefined;
  from?: string | undefined;
  id?: string | undefined;
  /** '1.0' for an RFC 6120 stream; undefined for a legacy (jabberd 1.4) stream. */
  version?: string | undefined;
  lang?: string | undefined;
}

/** `<?xml?>` plus the opening `<stream:stream>` tag, attributes escaped by ltx. */
export function buildStreamHeader(header: StreamHeader): string {
  const attrs: Record<string, string> = {};
  if (header.to !== undefined) attrs.to = header.to;
  if (header.from !== undefined) attrs.from = header.from;
  if (header.id !== undefined) attrs.id = header.id;
  if (header.version !== undefined) attrs.version = header.version;
  if (header.lang !== undefined) attrs["xml:lang"] = header.lang;
  attrs.xmlns = NS.client;
  attrs["xmlns:stream"] = NS.stream;
  // ltx renders an empty element as `<stream:stream …/>`: keep the tag open.
  const selfClosed = xml("stream:stream", attrs).toString();
  return `<?xml version='1.0'?>${selfClosed.slice(0, -2)}>`;
}

export const STREAM_CLOSE = "</stream:stream>";

/** Read the attributes the parser gave for the peer's `<stream:stream>` element. */
export function parseStreamHeader(attrs: Record<string, unknown>): StreamHeader {
  const text = (v: unknown) => (v === undefined ? undefined : String(v));
  return {
    to: text(attrs.to),
    from: text(attrs.from),
    id: text(attrs.id),
    version: text(attrs.version),
    lang: text(attrs["xml:lang"]),
  };
}
