// A raw test peer over real TCP: writes text or elements, reads the server's top-level elements back, interprets nothing.
import net from "node:net";
import tls from "node:tls";
import { type Element, Parser } from "@xmpp/xml";

export interface RawClient {
  /** Attributes of the server's latest stream header. */
  header: Record<string, string>;
  /** The next top-level element (stanza, features, stream error…); rejects after `timeout` ms. */
  next(timeout?: number): Promise<Element>;
  send(data: string | Element | Buffer): void;
  /** Send a new header and wait for the server's (after SASL success or STARTTLS). */
  restart(header: string): Promise<void>;
  /** After `<proceed/>`: TLS over the same socket, verified against `ca`, then `restart(header)`. */
  startTls(ca: string, header: string): Promise<tls.TLSSocket>;
  /** Resolves once the server closed the connection. */
  closed: Promise<void>;
  /** True once the server's `</stream:stream>` arrived. */
  readonly ended: boolean;
  destroy(): void;
}

export async function rawClient(port: number, header: string, host = "127.0.0.1"): Promise<RawClient> {
  let socket: net.Socket = net.connect(port, host);
  const queue: Element[] = [];
  const waiting: ((el: Element) => void)[] = [];
  let headerAttrs: Record<string, string> = {};
  let onHeader: () => void = () => {};
  let ended = false;
  let parser = newParser();
  function newParser(): Parser {
    const p = new Parser();
    p.on("start", (el: Element) => {
      headerAttrs = el.attrs as Record<string, string>;
      onHeader();
    });
    p.on("element", (el: Element) => {
      const waiter = waiting.shift();
      if (waiter) waiter(el);
      else queue.push(el);
    });
    p.on("end", () => {
      ended = true;
    });
    p.on("error", () => {});
    return p;
  }
  const decoder = () => {
    const d = new TextDecoder();
    return (chunk: Buffer) => parser.write(d.decode(chunk, { stream: true }));
  };
  let onData = decoder();
  socket.on("data", onData);
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });

  const restart = async (text: string) => {
    parser = newParser();
    const got = new Promise<void>((resolve) => (onHeader = resolve));
    socket.write(text);
    await got;
  };
  await restart(header);

  return {
    get header() {
      return headerAttrs;
    },
    next: (timeout = 2000) => {
      const el = queue.shift();
      if (el) return Promise.resolve(el);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`No element from the server within ${timeout} ms`));
        }, timeout);
        const waiter = (got: Element) => {
          clearTimeout(timer);
          resolve(got);
        };
        waiting.push(waiter);
      });
    },
    send: (data) => {
      socket.write(typeof data === "string" || Buffer.isBuffer(data) ? data : data.toString());
    },
    restart,
    startTls: async (ca, text) => {
      socket.off("data", onData);
      const secure = tls.connect({ socket, ca, servername: "localhost" });
      await new Promise<void>((resolve, reject) => {
        secure.once("secureConnect", () => resolve());
        secure.once("error", reject);
      });
      secure.on("error", () => {});
      socket = secure;
      onData = decoder();
      secure.on("data", onData);
      await restart(text);
      return secure;
    },
    closed,
    get ended() {
      return ended;
    },
    destroy: () => socket.destroy(),
  };
}

const STREAM_NS = "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'";

/** The book's header (Example 7-1): no version. */
export const bookHeader = (to: string) => `<?xml version='1.0'?><stream:stream to='${to}' ${STREAM_NS}>`;

/** An RFC 6120 header. */
export const modernHeader = (to: string) =>
  `<?xml version='1.0'?><stream:stream to='${to}' ${STREAM_NS} version='1.0'>`;
