// Open a jabber:client stream: dial, exchange headers, read features, secure it as asked.
import type net from "node:net";
import type { ConnectionOptions } from "node:tls";
import { AbortError, StreamError, TlsRequiredError } from "@reguser/errors";
import { dial } from "./connect.js";
import { DEFAULTS, type OpenStreamOptions } from "./options.js";
import { startTls } from "./starttls.js";
import { XmppStream } from "./xmpp-stream.js";

/** Open a stream, retrying only a transient refusal of the open itself (PROTOCOL.md trap 4). */
export async function openStream(options: OpenStreamOptions): Promise<XmppStream> {
  const retries = options.socket ? 0 : (options.openRetries ?? DEFAULTS.openRetries);
  let delay = options.retryDelay ?? DEFAULTS.retryDelay;
  for (let attempt = 0; ; attempt++) {
    try {
      return await openOnce(options);
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

async function openOnce(options: OpenStreamOptions): Promise<XmppStream> {
  const mode = options.tls ?? "auto";
  const domain = options.domain ?? options.host;
  const timeout = options.timeout ?? DEFAULTS.timeout;
  const tlsOptions: ConnectionOptions = {
    servername: options.servername ?? domain,
    ca: options.ca,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
  };
  if (mode === "starttls" && options.legacy) {
    throw new TlsRequiredError("A legacy stream (no version) has no STARTTLS: use tls: 'direct' or drop legacy");
  }
  const port = options.port ?? (mode === "direct" ? DEFAULTS.directTlsPort : DEFAULTS.port);
  const socket =
    options.socket ??
    (await dial({
      host: options.host,
      port,
      timeout,
      signal: options.signal,
      tls: mode === "direct" ? tlsOptions : undefined,
    }));
  const stream = new XmppStream(
    socket,
    {
      host: options.host,
      domain,
      legacy: options.legacy ?? false,
      timeout,
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
    await stream.restart();
    if (mode === "starttls" && !stream.features.starttls) {
      throw new TlsRequiredError("The server does not offer STARTTLS (tls: 'starttls' refuses a possible downgrade)");
    }
    if ((mode === "starttls" || mode === "auto") && stream.features.starttls) {
      await startTls(stream, socket as net.Socket, tlsOptions);
    }
    return stream;
  } catch (err) {
    stream.destroy(err as Error);
    throw err;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}
