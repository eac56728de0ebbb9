// The WebSocket transport in a web page (RFC 7395): the browser's own WebSocket, subprotocol `xmpp`, text frames only.
import { ConnectionError, ProtocolError } from "@reguser/errors";
import { WEBSOCKET_FRAMING, XMPP_SUBPROTOCOL } from "@reguser/protocol";
import { hostOf } from "./target.js";
import type { Transport, TransportListener } from "./transport.js";
import { binaryFrameError, closeCause } from "./websocket-close.js";

/** Where and how to open the WebSocket in a page. */
export interface BrowserDialOptions {
  url: URL;
  /** Milliseconds for connecting and the upgrade. */
  timeout: number;
  signal?: AbortSignal | undefined;
}

/** A `Transport` over an open browser WebSocket. */
export class BrowserWebSocketTransport implements Transport {
  readonly framing = WEBSOCKET_FRAMING;
  readonly secure: boolean;
  /** A page cannot see the peer's address: the URL's host stands in (the loopback check reads it). */
  readonly remoteAddress: string | undefined;
  readonly #socket: WebSocket;

  constructor(socket: WebSocket, url: URL) {
    this.#socket = socket;
    this.secure = url.protocol === "wss:";
    this.remoteAddress = hostOf(url);
  }

  /** Send text as one message. */
  write(text: string): void {
    if (this.#socket.readyState !== WebSocket.OPEN) throw new ConnectionError("The WebSocket is closed");
    this.#socket.send(text);
  }

  /** Hear messages and the close until the returned function is called. */
  listen(listener: TransportListener): () => void {
    const socket = this.#socket;
    const encoder = new TextEncoder();
    const onMessage = (event: MessageEvent) => {
      if (typeof event.data === "string") listener.data(encoder.encode(event.data));
      else listener.failed(binaryFrameError());
    };
    // Node's types (this package's) have no CloseEvent: the two fields read here.
    const onClose = (event: Event & { code?: number; reason?: string }) =>
      listener.close(closeCause(event.code ?? 1006, event.reason ?? ""));
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", onClose);
    return () => {
      socket.removeEventListener("message", onMessage);
      socket.removeEventListener("close", onClose);
    };
  }

  /** Close the WebSocket (a page cannot drop it harder than that). */
  destroy(): void {
    if (this.#socket.readyState === WebSocket.CONNECTING || this.#socket.readyState === WebSocket.OPEN) {
      this.#socket.close(1000);
    }
  }
}

/**
 * Open a WebSocket to `url` with the `xmpp` subprotocol. A page learns nothing of why an upgrade failed (no HTTP
 * status), so the error says what to check.
 */
export function dialBrowserWebSocket(options: BrowserDialOptions): Promise<BrowserWebSocketTransport> {
  const { url, timeout, signal } = options;
  const where = url.href;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ConnectionError(`Connecting to ${where} was aborted`, { cause: signal.reason }));
      return;
    }
    const socket = new WebSocket(url, XMPP_SUBPROTOCOL);
    const timer = setTimeout(
      () => fail(new ConnectionError(`Connecting to ${where} timed out after ${timeout} ms`)),
      timeout,
    );
    const onAbort = () => fail(new ConnectionError(`Connecting to ${where} was aborted`, { cause: signal?.reason }));
    const onFailure = () =>
      fail(
        new ConnectionError(`Cannot open a WebSocket to ${where}`, {
          hint: "check the URL and its path (ejabberd: often /ws, Prosody: /xmpp-websocket) and that the server allows this page's origin",
        }),
      );
    const onOpen = () => {
      if (socket.protocol !== XMPP_SUBPROTOCOL) {
        fail(
          new ProtocolError(
            `${where} did not agree to the '${XMPP_SUBPROTOCOL}' WebSocket subprotocol (RFC 7395 §3.2)`,
          ),
        );
        return;
      }
      cleanup();
      resolve(new BrowserWebSocketTransport(socket, url));
    };
    function cleanup() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.removeEventListener("open", onOpen);
      socket.removeEventListener("error", onFailure);
      socket.removeEventListener("close", onFailure);
    }
    function fail(err: Error) {
      cleanup();
      socket.close();
      reject(err);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.addEventListener("open", onOpen);
    socket.addEventListener("error", onFailure);
    socket.addEventListener("close", onFailure);
  });
}
