// openStream in a web page: WebSocket only (RFC 7395), through the browser's own WebSocket.
import { InvalidOptionError } from "@reguser/errors";
import { dialBrowserWebSocket } from "./browser-websocket-transport.js";
import { type Dial, openStreamWith } from "./open-stream-core.js";
import { DEFAULTS, type OpenStreamOptions } from "./options.js";
import type { XmppStream } from "./xmpp-stream.js";

/** A page can open WebSockets, not TCP connections. */
const browserDial: Dial = (options, target) => {
  if (target.kind !== "websocket" || options.socket) {
    return Promise.reject(
      new InvalidOptionError("openStream", "url", "a TCP host", "a ws:// or wss:// URL: a web page cannot open TCP"),
    );
  }
  return dialBrowserWebSocket({
    url: target.url,
    timeout: options.timeout ?? DEFAULTS.timeout,
    signal: options.signal,
  });
};

/**
 * Open a stream over WebSocket to `url` (RFC 7395), in a web page. Everything else is as in Node's `openStream`;
 * `host` without `url` is an `InvalidOptionError`.
 */
export function openStream(options: OpenStreamOptions): Promise<XmppStream> {
  return openStreamWith(options, browserDial);
}
