// A client over TCP: the socket, and after STARTTLS the TLS socket over it.
import type net from "node:net";
import { TCP_FRAMING } from "@reguser/protocol";
import type { TlsUpgrade } from "../handlers/starttls.js";
import type { ClientLink, LinkEvents } from "./client-link.js";

export class TcpLink implements ClientLink {
  readonly framing = TCP_FRAMING;
  readonly closed: Promise<void>;
  /** The TCP socket; `#socket` is TLS over it after STARTTLS. */
  readonly #raw: net.Socket;
  #socket: net.Socket;
  #events: LinkEvents | undefined;
  readonly #onData = (chunk: Buffer) => this.#events?.data(chunk);
  readonly #onError = (err: Error) => this.#events?.error(err);

  constructor(socket: net.Socket) {
    this.#raw = this.#socket = socket;
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  get canStartTls(): boolean {
    return this.#socket === this.#raw;
  }

  listen(events: LinkEvents): void {
    this.#events = events;
    this.#raw.on("data", this.#onData);
    this.#raw.on("error", this.#onError);
  }

  write(text: string): void {
    if (!this.#socket.destroyed && this.#socket.writable) this.#socket.write(text);
  }

  end(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
    this.#raw.destroy();
  }

  startTls(upgrade: TlsUpgrade): void {
    this.#raw.off("data", this.#onData);
    const secure = upgrade(this.#raw);
    secure.on("data", this.#onData);
    secure.on("error", this.#onError);
    this.#socket = secure;
  }
}
