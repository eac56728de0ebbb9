// The TCP transport: a connected socket (plain or direct TLS), upgraded in place by STARTTLS.
import type { Duplex } from "node:stream";
import type { ConnectionOptions } from "node:tls";
import { TCP_FRAMING } from "@reguser/protocol";
import { type DialOptions, dial, upgradeToTls } from "./connect.js";
import type { Transport, TransportListener } from "./transport.js";

/** A `Transport` over a connected socket, or any duplex stream given in its place (tests, proxies). */
export class SocketTransport implements Transport {
  readonly framing = TCP_FRAMING;
  readonly secure: boolean;
  readonly remoteAddress: string | undefined;
  readonly #socket: Duplex;
  #corked = false;
  readonly #uncork = () => {
    this.#corked = false;
    this.#socket.uncork();
  };

  /** Wrap `socket`; `secure` when it speaks TLS already. */
  constructor(socket: Duplex, secure: boolean) {
    this.#socket = socket;
    this.secure = secure;
    this.remoteAddress = (socket as { remoteAddress?: string }).remoteAddress;
  }

  /**
   * Send text on the socket. Writes of one tick leave together (cork, then uncork on the next tick): a bulk run
   * writes dozens of stanzas at once, and one system call each cost more than building them.
   */
  write(text: string): void {
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      process.nextTick(this.#uncork);
    }
    this.#socket.write(text);
  }

  /** Hear the socket's data and its close (with the last error it reported) until the returned function is called. */
  listen(listener: TransportListener): () => void {
    const socket = this.#socket;
    let cause: Error | undefined;
    const onData = (chunk: Buffer | string) => listener.data(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    const onError = (err: Error) => {
      cause = err;
    };
    const onClose = () => listener.close(cause);
    socket.on("data", onData);
    socket.on("error", onError);
    socket.on("close", onClose);
    return () => {
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("close", onClose);
    };
  }

  /** Drop the socket; what this tick wrote still goes first (it would be lost in the cork). */
  destroy(): void {
    if (this.#corked) this.#uncork();
    this.#socket.destroy();
  }

  /** The TLS handshake over this socket (after `<proceed/>`); a failure destroys both. */
  async startTls(options: ConnectionOptions, timeout: number): Promise<Transport> {
    return new SocketTransport(await upgradeToTls(this.#socket, options, timeout), true);
  }
}

/** Dial the server: plain TCP, or TLS from the first byte when `options.tls` is given. */
export async function dialTransport(options: DialOptions): Promise<Transport> {
  return new SocketTransport(await dial(options), options.tls !== undefined);
}
