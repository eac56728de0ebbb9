// Open a jabber:client stream: dial, exchange headers, read features, secure it as asked.
import type { ConnectionOptions } from "node:tls";
import { AbortError, TlsRequiredError } from "@reguser/errors";
import { DEFAULTS, type OpenStreamOptions, type StreamSettings } from "./options.js";
import { reopenOnRefusal } from "./reopen.js";
import { isTransientRefusal, retry } from "./retry.js";
import { dialTransport, SocketTransport } from "./socket-transport.js";
import { startTls } from "./starttls.js";
import { StreamCore } from "./stream-core.js";
import { type StreamTarget, streamDomain, streamTarget } from "./target.js";
import type { Transport } from "./transport.js";
import { dialWebSocket } from "./websocket-transport.js";
import { XmppStream } from "./xmpp-stream.js";

/**
 * Open a stream, over TCP to `host` or over WebSocket to `url` (RFC 7395). A transient `internal-server-error`
 * refusal (jabberd2, docs/traps.md#trap-4) is retried, during the open and, while only IQ-gets were sent, just
 * after it; nothing else is. A missing or empty `host` without `url`, a `url` that is not `ws://` or `wss://`, a
 * TCP-only option beside `url` (or an empty `domain`) is an `InvalidOptionError` before anything is dialled. TLS
 * failures with a known fix (an untrusted certificate, direct TLS against a STARTTLS port) carry it as `hint`.
 */
export async function openStream(options: OpenStreamOptions): Promise<XmppStream> {
  const target = streamTarget(options);
  const retries = options.socket ? 0 : (options.openRetries ?? DEFAULTS.openRetries);
  const delay = options.retryDelay ?? DEFAULTS.retryDelay;
  let tries = 0;
  const core = await retry({ retries, delay, signal: options.signal }, isTransientRefusal, () => {
    tries += 1;
    return openOnce(options, target);
  });
  // Reopening goes on from the pause the open had reached.
  if (retries > 0) {
    reopenOnRefusal(core, () => setUp(core, options, target), { retries, delay: delay * 2 ** (tries - 1) });
  }
  const { socket: _socket, signal: _signal, ...reusable } = options;
  return new XmppStream(core, reusable);
}

function tlsOptionsOf(options: OpenStreamOptions): ConnectionOptions {
  return {
    servername: options.servername ?? streamDomain(options),
    ca: options.ca,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
  };
}

function connect(options: OpenStreamOptions, target: StreamTarget): Promise<Transport> {
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
  const mode = options.tls ?? "auto";
  const port = options.port ?? (mode === "direct" ? DEFAULTS.directTlsPort : DEFAULTS.port);
  const tls = mode === "direct" ? tlsOptionsOf(options) : undefined;
  return dialTransport({ host: target.host, port, localAddress, timeout, signal, tls });
}

/** Headers, features and STARTTLS on the stream's current transport (a WebSocket has none: `wss://` is TLS). */
async function negotiate(core: StreamCore, options: OpenStreamOptions): Promise<void> {
  await core.restart();
  if (core.wire.transport.framing.name === "websocket") return;
  const mode = options.tls ?? "auto";
  if (mode === "starttls" && !core.wire.features.starttls) {
    throw new TlsRequiredError("The server does not offer STARTTLS (tls: 'starttls' refuses a possible downgrade)");
  }
  if ((mode === "starttls" || mode === "auto") && core.wire.features.starttls)
    await startTls(core, tlsOptionsOf(options));
}

/** Dial again and negotiate on the same stream (reopening in place). */
async function setUp(core: StreamCore, options: OpenStreamOptions, target: StreamTarget): Promise<void> {
  core.useTransport(await connect(options, target));
  await negotiate(core, options);
}

function settingsOf(options: OpenStreamOptions, target: StreamTarget): StreamSettings {
  return {
    host: target.host,
    domain: streamDomain(options),
    legacy: options.legacy ?? false,
    timeout: options.timeout ?? DEFAULTS.timeout,
    allowInsecure: options.allowInsecure ?? false,
    maxStanzaBytes: options.maxStanzaBytes ?? DEFAULTS.maxStanzaBytes,
    maxPendingIqs: options.maxPendingIqs ?? DEFAULTS.maxPendingIqs,
    debug: options.debug,
    ids: options.ids,
  };
}

async function openOnce(options: OpenStreamOptions, target: StreamTarget): Promise<StreamCore> {
  const mode = options.tls ?? "auto";
  if (mode === "starttls" && options.legacy) {
    throw new TlsRequiredError("A legacy stream (no version) has no STARTTLS: use tls: 'direct' or drop legacy");
  }
  const transport = options.socket
    ? new SocketTransport(options.socket, mode === "direct")
    : await connect(options, target);
  const core = new StreamCore(transport, settingsOf(options, target));
  const onAbort = () => core.destroy(new AbortError(options.signal?.reason));
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await negotiate(core, options);
    core.opened();
    return core;
  } catch (err) {
    core.destroy(err as Error);
    throw err;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}
