// Open a jabber:client stream: dial, exchange headers, read features, secure it as asked.
import type net from "node:net";
import type { ConnectionOptions } from "node:tls";
import { AbortError, requireTextOptions, StreamError, TlsRequiredError } from "@reguser/errors";
import { dial } from "./connect.js";
import { DEFAULTS, type OpenStreamOptions } from "./options.js";
import { startTls } from "./starttls.js";
import { XmppStream } from "./xmpp-stream.js";

/**
 * Open a stream. A transient `internal-server-error` refusal (jabberd2, docs/traps.md#trap-4) is retried,
 * during the open and, while only IQ-gets were sent, just after it; nothing else is. A missing or empty `host`
 * (or an empty `domain`) is an `InvalidOptionError` before anything is dialled. TLS failures with a known fix
 * (an untrusted certificate, direct TLS against a STARTTLS port) carry it as `hint`.
 */
export async function openStream(options: OpenStreamOptions): Promise<XmppStream> {
  // Checked here: net.connect reads a missing host as localhost.
  requireTextOptions("openStream", options, { required: ["host"], optional: ["domain", "servername"] });
  const retries = options.socket ? 0 : (options.openRetries ?? DEFAULTS.openRetries);
  let delay = options.retryDelay ?? DEFAULTS.retryDelay;
  for (let attempt = 0; ; attempt++) {
    try {
      const stream = await openOnce(options);
      const { socket: _socket, signal: _signal, ...reusable } = options;
      stream.openOptions = reusable;
      if (retries > 0) stream.allowReopen(() => setUp(stream, options), retries, delay);
      return stream;
    } catch (err) {
      if (attempt >= retries || !isTransientRefusal(err) || options.signal?.aborted) throw err;
      await sleep(delay, options.signal);
      delay *= 2;
    }
  }
}

function isTransientRefusal(err: unknown): boolean {
  return err instanceof StreamError && err.condition === "internal-server-error";
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

function tlsOptionsOf(options: OpenStreamOptions): ConnectionOptions {
  return {
    servername: options.servername ?? options.domain ?? options.host,
    ca: options.ca,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
  };
}

function connectSocket(options: OpenStreamOptions) {
  const mode = options.tls ?? "auto";
  const port = options.port ?? (mode === "direct" ? DEFAULTS.directTlsPort : DEFAULTS.port);
  const timeout = options.timeout ?? DEFAULTS.timeout;
  const tls = mode === "direct" ? tlsOptionsOf(options) : undefined;
  return dial({ host: options.host, port, timeout, signal: options.signal, tls });
}

/** Headers, features and STARTTLS on the stream's current socket. */
async function negotiate(stream: XmppStream, socket: net.Socket, options: OpenStreamOptions): Promise<void> {
  const mode = options.tls ?? "auto";
  await stream.restart();
  if (mode === "starttls" && !stream.features.starttls) {
    throw new TlsRequiredError("The server does not offer STARTTLS (tls: 'starttls' refuses a possible downgrade)");
  }
  if ((mode === "starttls" || mode === "auto") && stream.features.starttls) {
    await startTls(stream, socket, tlsOptionsOf(options));
  }
}

/** Dial again and negotiate on the same stream object (reopening in place). */
async function setUp(stream: XmppStream, options: OpenStreamOptions): Promise<void> {
  const socket = await connectSocket(options);
  stream.replaceSocket(socket, options.tls === "direct");
  await negotiate(stream, socket, options);
}

async function openOnce(options: OpenStreamOptions): Promise<XmppStream> {
  const mode = options.tls ?? "auto";
  if (mode === "starttls" && options.legacy) {
    throw new TlsRequiredError("A legacy stream (no version) has no STARTTLS: use tls: 'direct' or drop legacy");
  }
  const socket = options.socket ?? (await connectSocket(options));
  const stream = new XmppStream(
    socket,
    {
      host: options.host,
      domain: options.domain ?? options.host,
      legacy: options.legacy ?? false,
      timeout: options.timeout ?? DEFAULTS.timeout,
      allowInsecure: options.allowInsecure ?? false,
      maxStanzaBytes: options.maxStanzaBytes ?? DEFAULTS.maxStanzaBytes,
      maxPendingIqs: options.maxPendingIqs ?? DEFAULTS.maxPendingIqs,
      debug: options.debug,
      ids: options.ids,
    },
    mode === "direct",
  );
  const onAbort = () => stream.destroy(new AbortError(options.signal?.reason));
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await negotiate(stream, socket as net.Socket, options);
    return stream;
  } catch (err) {
    stream.destroy(err as Error);
    throw err;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}
