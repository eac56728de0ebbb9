// A client over WebSocket (RFC 7395): one message per element, text frames only, no STARTTLS.
import { WEBSOCKET_FRAMING } from "@reguser/protocol";
import WebSocket from "ws";
import type { ClientLink, LinkEvents } from "./client-link.js";

export class WebSocketLink implements ClientLink {
  readonly framing = WEBSOCKET_FRAMING;
  readonly closed: Promise<void>;
  readonly canStartTls = false;
  readonly #socket: WebSocket;

  constructor(socket: WebSocket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  listen(events: LinkEvents): void {
    // ws's default binaryType ('nodebuffer') hands every message over as one Buffer.
    this.#socket.on("message", (data, isBinary) => {
      if (isBinary) events.error(new Error("a binary WebSocket frame (RFC 7395 §3.2: text frames only)"));
      else events.data(data as Buffer);
    });
    this.#socket.on("error", (err) => events.error(err));
  }

  write(text: string): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(text);
  }

  end(): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.close(1000);
  }

  destroy(): void {
    this.#socket.terminate();
  }

  startTls(): void {
    throw new Error("STARTTLS over a WebSocket");
  }
}
