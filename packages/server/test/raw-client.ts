// A raw test peer: writes the book's exchanges as text and reads the server's stanzas back, nothing interpreted.
import net from "node:net";
import { type Element, Parser } from "@xmpp/xml";

export interface RawClient {
  header: Record<string, string>;
  /** The next top-level element from the server. */
  next(): Promise<Element>;
  send(text: string): void;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
  destroy(): void;
}

export async function rawClient(port: number, header: string): Promise<RawClient> {
  const socket = net.connect(port, "127.0.0.1");
  const parser = new Parser();
  const queue: Element[] = [];
  const waiting: ((el: Element) => void)[] = [];
  let headerAttrs: Record<string, string> | undefined;
  let onHeader: () => void = () => {};
  parser.on("start", (el: Element) => {
    headerAttrs = el.attrs as Record<string, string>;
    onHeader();
  });
  parser.on("element", (el: Element) => {
    const waiter = waiting.shift();
    if (waiter) waiter(el);
    else queue.push(el);
  });
  socket.on("data", (chunk) => parser.write(chunk.toString("utf8")));
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const gotHeader = new Promise<void>((resolve) => (onHeader = resolve));
  socket.write(header);
  await gotHeader;
  return {
    header: headerAttrs as Record<string, string>,
    next: () => {
      const el = queue.shift();
      return el ? Promise.resolve(el) : new Promise((resolve) => waiting.push(resolve));
    },
    send: (text) => socket.write(text),
    closed,
    destroy: () => socket.destroy(),
  };
}

/** The book's header (Example 7-1): no version. */
export const bookHeader = (to: string) =>
  `<?xml version='1.0'?><stream:stream to='${to}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`;
