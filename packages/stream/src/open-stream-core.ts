// Open a jabber:client stream: dial (through the platform's dialer), exchange headers, read features, secure it as
// asked. Node's openStream (open-stream.ts) and the browser's (open-stream.browser.ts) differ only in their dialer.
import type { ConnectionOptions } from "node:tls";
import { AbortError, TlsRequiredError } from "@reguser/errors";
import { DEFAULTS, type OpenStreamOptions, type StreamSettings } from "./options.js";
import { reopenOnRefusal } from "./reopen.js";
import { isTransientRefusal, retry } from "./retry.js";
import { startTls } from "./starttls.js";
import { StreamCore } from "./stream-core.js";
import { type StreamTarget, streamDomain, streamTarget } from "./target.js";
import type { Transport } from "./transport.js";
import { XmppStream } from "./xmpp-stream.js";

/** Connects a transport for `options` to `target`: the one part of opening a stream that depends on the platform. */
export type Dial = (options: OpenStreamOptions, target: StreamTarget) => Promise<Transport>;

/** `openStream` with the given dialer (see open-stream.ts for what it does). */
export async function openStreamWith(options: OpenStreamOptions, dial: Dial): Promise<XmppStream> {
  const target = streamTarget(options);
  const retries = options.socket ? 0 : (options.openRetries ?? DEFAULTS.openRetries);
  const delay = options.retryDelay ?? DEFAULTS.retryDelay;
  let tries = 0;
  const core = await retry({ retries, delay, signal: options.signal }, isTransientRefusal, () => {
    tries += 1;
    return openOnce(options, target, dial);
  });
  // Reopening goes on from the pause the open had reached.
  if (retries > 0) {
    reopenOnRefusal(core, () => setUp(core, options, target, dial), { retries, delay: delay * 2 ** (tries - 1) });
  }
  const { socket: _socket, signal: _signal, ...reusable } = options;
  return new XmppStream(core, reusable);
}

/** TLS options for direct TLS, STARTTLS and `wss://`. */
export function tlsOptionsOf(options: OpenStreamOptions): ConnectionOptions {
  return {
    servername: options.servername ?? streamDomain(options),
    ca: options.ca,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
  };
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
async function setUp(core: StreamCore, options: OpenStreamOptions, target: StreamTarget, dial: Dial): Promise<void> {
  core.useTransport(await dial(options, target));
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

async function openOnce(options: OpenStreamOptions, target: StreamTarget, dial: Dial): Promise<StreamCore> {
  const mode = options.tls ?? "auto";
  if (mode === "starttls" && options.legacy) {
    throw new TlsRequiredError("A legacy stream (no version) has no STARTTLS: use tls: 'direct' or drop legacy");
  }
  const transport = await dial(options, target);
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
