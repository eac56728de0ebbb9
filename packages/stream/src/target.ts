// Where a stream goes: a host over TCP, or a ws:// / wss:// URL over WebSocket. Checked before anything is dialled.
import { InvalidOptionError, requireTextOptions } from "@reguser/errors";
import type { OpenStreamOptions } from "./options.js";

/** Options that only mean something over TCP: with `url` they are a mistake, not something to ignore. */
const TCP_ONLY = ["host", "port", "tls", "legacy", "socket"] as const;

/** A stream's destination, resolved from `OpenStreamOptions`. */
export type StreamTarget = { kind: "tcp"; host: string } | { kind: "websocket"; url: URL; host: string };

/**
 * The destination `options` name: `host` (TCP) or `url` (WebSocket), never both. An `InvalidOptionError` says
 * what to change: a missing or empty host, a URL that is not `ws://` or `wss://`, a TCP-only option beside `url`.
 */
export function streamTarget(options: OpenStreamOptions): StreamTarget {
  requireTextOptions("openStream", options, { required: [], optional: ["domain", "servername", "localAddress"] });
  const given = (options ?? {}) as OpenStreamOptions;
  if (given.url === undefined) {
    // Checked here: net.connect reads a missing host as localhost.
    requireTextOptions("openStream", given, { required: ["host"] });
    return { kind: "tcp", host: given.host as string };
  }
  const url = parseUrl(given.url);
  for (const name of TCP_ONLY) {
    if (given[name] !== undefined) {
      throw new InvalidOptionError(
        "openStream",
        name,
        "a value beside url",
        "left out when url is given (a WebSocket URL says where and how)",
      );
    }
  }
  return { kind: "websocket", url, host: hostOf(url) };
}

/** A URL's host as net and the loopback check want it: an IPv6 address without the brackets URL keeps. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

function parseUrl(value: unknown): URL {
  let url: URL | undefined;
  if (value instanceof URL) url = value;
  else if (typeof value === "string" && URL.canParse(value)) url = new URL(value);
  if (url && (url.protocol === "ws:" || url.protocol === "wss:")) return url;
  // Never the value itself: a URL may carry a password.
  const received = url
    ? `a ${url.protocol} URL`
    : typeof value === "string"
      ? "a string that is not a URL"
      : `a ${typeof value}`;
  throw new InvalidOptionError("openStream", "url", received, "a ws:// or wss:// URL");
}

/** The XMPP domain a stream with these options speaks to: `domain`, else the host, else the URL's host name. */
export function streamDomain(options: Pick<OpenStreamOptions, "domain" | "host" | "url">): string {
  if (options.domain) return options.domain;
  if (options.host) return options.host;
  if (options.url === undefined) return "";
  const url = options.url instanceof URL ? options.url : URL.canParse(options.url) ? new URL(options.url) : undefined;
  return url ? hostOf(url) : "";
}
