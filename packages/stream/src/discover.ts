// XEP-0156 §3: a domain names its WebSocket endpoint in /.well-known/host-meta (XRD) or host-meta.json (JRD).
import { ConnectionError, LimitExceededError, ProtocolError, requireTextOptions } from "@reguser/errors";
import { concatBytes, XmlReader } from "@reguser/protocol";
import type { Element } from "@xmpp/xml";

/** The link relation of an XMPP WebSocket endpoint (XEP-0156 §3.3). */
export const WEBSOCKET_LINK_REL = "urn:xmpp:alt-connections:websocket";

/** A host-meta document is a few hundred bytes; more is not one. */
const MAX_HOST_META_BYTES = 64 * 1024;

/** What `discoverWebSocketUrl` accepts. */
export interface DiscoverOptions {
  /**
   * Where `/.well-known/` is: default `https://DOMAIN`. A test server on loopback can be `http://127.0.0.1:PORT`.
   */
  base?: string;
  /** Milliseconds for each document. Default 10,000. */
  timeout?: number;
  /** Aborts the lookup. */
  signal?: AbortSignal;
  /** The fetch to use (a proxy's, a test's). Default the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * The WebSocket endpoint `domain` publishes (XEP-0156): `host-meta.json` first, then `host-meta`; a `wss://` link
 * wins over a `ws://` one. Throws `ConnectionError` when neither document can be had or neither lists an endpoint
 * (its message says what was tried), `ProtocolError` for a document that is not what it says, `LimitExceededError`
 * for one over 64 KiB. Use the result as `openStream({ url, domain })`.
 */
export async function discoverWebSocketUrl(domain: string, options: DiscoverOptions = {}): Promise<string> {
  requireTextOptions("discoverWebSocketUrl", { domain }, { required: ["domain"] });
  const base = (options.base ?? `https://${domain}`).replace(/\/+$/, "");
  const tried: string[] = [];
  for (const [path, read] of [
    ["/.well-known/host-meta.json", linksOfJson],
    ["/.well-known/host-meta", linksOfXml],
  ] as const) {
    const address = `${base}${path}`;
    const body = await fetchText(address, options).catch((err: Error) => {
      if (err instanceof ConnectionError) {
        tried.push(`${address}: ${err.message}`);
        return undefined;
      }
      throw err;
    });
    if (body === undefined) continue;
    const url = pick(read(body, address));
    if (url) return url;
    tried.push(`${address}: no ${WEBSOCKET_LINK_REL} link`);
  }
  throw new ConnectionError(`No WebSocket endpoint found for ${domain} (XEP-0156): ${tried.join("; ")}`, {
    hint: "pass the endpoint as openStream's url (ejabberd: often /ws, Prosody: /xmpp-websocket)",
  });
}

/** The best of the listed endpoints: `wss://` before `ws://`; anything else is not a WebSocket URL. */
function pick(links: readonly string[]): string | undefined {
  const usable = links.filter((href) => /^wss?:\/\//i.test(href));
  return usable.find((href) => /^wss:/i.test(href)) ?? usable[0];
}

async function fetchText(address: string, options: DiscoverOptions): Promise<string | undefined> {
  const timeout = options.timeout ?? 10_000;
  const signals = [AbortSignal.timeout(timeout), ...(options.signal ? [options.signal] : [])];
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(address, { signal: AbortSignal.any(signals), redirect: "follow" });
  } catch (err) {
    const why = (err as Error).name === "TimeoutError" ? `timed out after ${timeout} ms` : (err as Error).message;
    throw new ConnectionError(`fetching failed: ${why}`, { cause: err });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ConnectionError(`HTTP ${response.status}`);
  }
  return readLimited(response, address);
}

async function readLimited(response: Response, address: string): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_HOST_META_BYTES) {
      await reader.cancel();
      throw new LimitExceededError("host-meta size", size, MAX_HOST_META_BYTES, `${address} is over 64 KiB`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(concatBytes(chunks));
}

/** XEP-0156 §3.3 JRD: `{ "links": [{ "rel": …, "href": … }] }`. */
function linksOfJson(body: string, address: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new ProtocolError(`${address} is not JSON`, { cause: err });
  }
  const links = (doc as { links?: unknown })?.links;
  if (!Array.isArray(links)) return [];
  return links
    .filter((l): l is { rel: string; href: string } => l?.rel === WEBSOCKET_LINK_REL && typeof l?.href === "string")
    .map((l) => l.href);
}

/** XEP-0156 §3.2 XRD: `<XRD><Link rel=… href=…/></XRD>`. */
function linksOfXml(body: string, address: string): string[] {
  const links: Element[] = [];
  let failure: Error | undefined;
  const reader = new XmlReader(
    {
      onHeader: () => undefined,
      onElement: (el) => links.push(el),
      onEnd: () => undefined,
      onError: (err) => (failure ??= err),
    },
    MAX_HOST_META_BYTES,
  );
  reader.write(new TextEncoder().encode(body.replace(/^\s*<\?xml[^>]*\?>/, "")));
  reader.flush();
  reader.stop();
  if (failure) throw new ProtocolError(`${address} is not XML: ${failure.message}`, { cause: failure });
  return links
    .filter((l) => l.name === "Link" && l.attrs.rel === WEBSOCKET_LINK_REL && typeof l.attrs.href === "string")
    .map((l) => l.attrs.href as string);
}
