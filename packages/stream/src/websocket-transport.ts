// The WebSocket transport (RFC 7395) through `ws`: subprotocol `xmpp`, text frames only, one element per message.
import type { ConnectionOptions } from "node:tls";
import { ConnectionError, LimitExceededError } from "@reguser/errors";
import { WEBSOCKET_FRAMING, XMPP_SUBPROTOCOL } from "@reguser/protocol";
import WebSocket from "ws";
import { tlsHint } from "./tls-hints.js";
import type { Transport, TransportListener } from "./transport.js";
import { binaryFrameError, closeCause } from "./websocket-close.js";

/** How long a polite close waits for the server's closing frame before the socket is dropped. */
const CLOSE_GRACE_MS = 500;

/** Where and how to open the WebSocket. */
export interface WebSocketDialOptions {
  /** `ws://` or `wss://` URL of the server's XMPP WebSocket endpoint. */
  url: URL;
  /** Milliseconds for connecting and the HTTP upgrade together. */
  timeout: number;
  /** Largest message accepted; a bigger one ends the stream with `LimitExceededError`. */
  maxMessageBytes: number;
  signal?: AbortSignal | undefined;
  localAddress?: string | undefined;
  /** TLS options for `wss://` (`ca`, `rejectUnauthorized`, `servername`). */
  tls: ConnectionOptions;
}

/** A `Transport` over an open WebSocket. */
export class WebSocketTransport implements Transport {
  readonly framing = WEBSOCKET_FRAMING;
  readonly secure: boolean;
  readonly remoteAddress: string | undefined;
  readonly #socket: WebSocket;
  readonly #maxMessageBytes: number;

  constructor(socket: WebSocket, secure: boolean, remoteAddress: string | undefined, maxMessageBytes: number) {
    this.#socket = socket;
    this.secure = secure;
    this.remoteAddress = remoteAddress;
    this.#maxMessageBytes = maxMessageBytes;
  }

  /** Send text as one message (a text frame). */
  write(text: string): void {
    if (this.#socket.readyState !== WebSocket.OPEN) throw new ConnectionError("The WebSocket is closed");
    this.#socket.send(text);
  }

  /** Hear messages and the close until the returned function is called. */
  listen(listener: TransportListener): () => void {
    const socket = this.#socket;
    let cause: Error | undefined;
    // ws's default binaryType ('nodebuffer') hands every message over as one Buffer.
    const onMessage = (data: WebSocket.RawData, isBinary: boolean) => {
      if (isBinary) listener.failed(binaryFrameError());
      else listener.data(data as Buffer);
    };
    const onError = (err: Error & { code?: string }) => {
      if (err.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") {
        const max = this.#maxMessageBytes;
        listener.failed(
          new LimitExceededError("stanza size", max + 1, max, `The server sent a WebSocket message over ${max} bytes`),
        );
        return;
      }
      cause = err;
    };
    const onClose = (code: number, reason: Buffer) =>
      listener.close(cause ?? closeCause(code, reason.toString("utf8")));
    socket.on("message", onMessage);
    socket.on("error", onError);
    socket.on("close", onClose);
    return () => {
      socket.off("message", onMessage);
      socket.off("error", onError);
      socket.off("close", onClose);
    };
  }

  /** Close the WebSocket (a closing frame, then the socket once the server answers or after a short grace). */
  destroy(): void {
    const socket = this.#socket;
    // An error after this point (the peer vanishing mid-close) must not go unhandled.
    socket.on("error", () => undefined);
    if (socket.readyState !== WebSocket.OPEN) {
      socket.terminate();
      return;
    }
    socket.close(1000);
    const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
  }
}

/** Open a WebSocket to `url` with the `xmpp` subprotocol, within `timeout` ms and until `signal` aborts. */
export function dialWebSocket(options: WebSocketDialOptions): Promise<WebSocketTransport> {
  const { url, timeout, signal, maxMessageBytes } = options;
  const where = url.href;
  const secure = url.protocol === "wss:";
  return new Promise((resolve, reject) => {
    // No handshakeTimeout: the one timer below covers connecting and the upgrade, and says so in one message.
    const socket = new WebSocket(url, XMPP_SUBPROTOCOL, {
      maxPayload: maxMessageBytes,
      perMessageDeflate: false,
      followRedirects: false,
      ...(secure ? options.tls : {}),
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    });
    let remoteAddress: string | undefined;
    const timer = setTimeout(
      () => fail(new ConnectionError(`Connecting to ${where} timed out after ${timeout} ms`)),
      timeout,
    );
    const onAbort = () => fail(new ConnectionError(`Connecting to ${where} was aborted`, { cause: signal?.reason }));
    const onError = (err: Error) => {
      const hint = secure ? tlsHint(err, "direct") : undefined;
      fail(new ConnectionError(`Cannot open a WebSocket to ${where}: ${err.message.trim()}`, { cause: err, hint }));
    };
    const onUnexpected = (_request: unknown, response: { statusCode?: number; resume(): void }) => {
      response.resume();
      fail(
        new ConnectionError(`${where} answered HTTP ${response.statusCode} instead of upgrading to a WebSocket`, {
          hint: "check the path: ejabberd serves XMPP over WebSocket where its ejabberd_http listener maps ejabberd_http_ws (often /ws), Prosody at /xmpp-websocket (mod_websocket)",
        }),
      );
    };
    const onUpgrade = (response: { socket: { remoteAddress?: string } }) => {
      remoteAddress = response.socket.remoteAddress;
    };
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      socket.off("open", onOpen);
      socket.off("unexpected-response", onUnexpected);
      socket.off("upgrade", onUpgrade);
    };
    function fail(err: Error) {
      cleanup();
      socket.on("error", () => undefined);
      socket.terminate();
      reject(err);
    }
    // A server that agrees to no subprotocol, or another, fails the handshake in ws itself (onError).
    function onOpen() {
      cleanup();
      resolve(new WebSocketTransport(socket, secure, remoteAddress, maxMessageBytes));
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.on("error", onError);
    socket.once("open", onOpen);
    socket.once("unexpected-response", onUnexpected);
    socket.once("upgrade", onUpgrade);
  });
}
