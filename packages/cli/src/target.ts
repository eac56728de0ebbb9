// The book's `host[:port]` argument (and `[v6-address]:port`); the port defaults to the library's 5222. A `ws://` or
// `wss://` URL instead is a stream over WebSocket (docs/websocket.md).
import { UsageError } from "./usage-error.js";

export interface Target {
  /** The host; for a WebSocket URL its host name. */
  host: string;
  /** Undefined when not given: 5222 (5223 with --tls direct). */
  port: number | undefined;
  /** A `ws://` or `wss://` URL: the stream goes over WebSocket. */
  url?: string;
}

export function parseTarget(text: string): Target {
  if (/^wss?:\/\//i.test(text)) {
    if (!URL.canParse(text)) throw new UsageError(`'${text.slice(0, 200)}' is not a URL`);
    return { host: new URL(text).hostname.replace(/^\[|\]$/g, ""), port: undefined, url: text };
  }
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const [, host = "", port] = v6 ?? /^([^:[\]]+)(?::(\d*))?$/.exec(text) ?? [];
  if (!host) throw new UsageError(`'${text}' is not a host or host:port`);
  if (port === undefined || port === "") {
    if (port === "") throw new UsageError(`'${text}': the port after ':' is missing`);
    return { host, port: undefined };
  }
  const n = Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`'${text}': port must be 1–65535`);
  return { host, port: n };
}

export function describeTarget(target: Target): string {
  if (target.url !== undefined) return target.url;
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return target.port === undefined ? host : `${host}:${target.port}`;
}
