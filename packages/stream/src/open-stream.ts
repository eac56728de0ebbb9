// openStream for Node: TCP (plain, direct TLS, STARTTLS), a socket given by the caller, or WebSocket through `ws`.

import { type Dial, openStreamWith, tlsOptionsOf } from "./open-stream-core.js";
import { DEFAULTS, type OpenStreamOptions } from "./options.js";
import { dialTransport, SocketTransport } from "./socket-transport.js";
import { dialWebSocket } from "./websocket-transport.js";
import type { XmppStream } from "./xmpp-stream.js";

/** Node's dialer: the caller's socket, a WebSocket (`ws`), or TCP with TLS as `tls` asks. */
const nodeDial: Dial = (options, target) => {
  const mode = options.tls ?? "auto";
  if (options.socket) return Promise.resolve(new SocketTransport(options.socket, mode === "direct"));
  const timeout = options.timeout ?? DEFAULTS.timeout;
  const { localAddress, signal } = options;
  if (target.kind === "websocket") {
    const maxMessageBytes = options.maxStanzaBytes ?? DEFAULTS.maxStanzaBytes;
    return dialWebSocket({
      url: target.url,
      timeout,
      signal,
      localAddress,
      maxMessageBytes,
      tls: tlsOptionsOf(options),
    });
  }
  const port = options.port ?? (mode === "direct" ? DEFAULTS.directTlsPort : DEFAULTS.port);
  const tls = mode === "direct" ? tlsOptionsOf(options) : undefined;
  return dialTransport({ host: target.host, port, localAddress, timeout, signal, tls });
};

/**
 * Open a stream, over TCP to `host` or over WebSocket to `url` (RFC 7395). A transient `internal-server-error`
 * refusal (jabberd2, docs/traps.md#trap-4) is retried, during the open and, while only IQ-gets were sent, just
 * after it; nothing else is. A missing or empty `host` without `url`, a `url` that is not `ws://` or `wss://`, a
 * TCP-only option beside `url` (or an empty `domain`) is an `InvalidOptionError` before anything is dialled. TLS
 * failures with a known fix (an untrusted certificate, direct TLS against a STARTTLS port) carry it as `hint`.
 */
export function openStream(options: OpenStreamOptions): Promise<XmppStream> {
  return openStreamWith(options, nodeDial);
}
