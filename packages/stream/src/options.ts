// What openStream accepts, with the defaults in one place.
import type { Duplex } from "node:stream";

/** How a stream is secured: see `OpenStreamOptions.tls`. */
export type TlsMode = "auto" | "starttls" | "direct" | "none";

/**
 * What `openStream` accepts: `host` for a TCP stream, or `url` for one over WebSocket (RFC 7395); nothing else is
 * required.
 */
export interface OpenStreamOptions {
  /** Host name or address to connect to over TCP. Give this or `url`. */
  host?: string;
  /**
   * A `ws://` or `wss://` URL: the stream goes over WebSocket (RFC 7395) instead of TCP, secured when `wss://`.
   * `host`, `port`, `tls`, `legacy` and `socket` do not apply; `domain` defaults to the URL's host name.
   * Give this or `host`.
   */
  url?: string | URL;
  /** Defaults to 5222 (5223 for `tls: 'direct'`). */
  port?: number;
  /**
   * The local address to connect from (`127.0.0.2`, another interface's address): servers throttle registrations
   * per source address (docs/shipped.md#throttles). Default: the system's choice.
   */
  localAddress?: string;
  /** The server's domain (the stream's `to`); defaults to `host`. */
  domain?: string;
  /**
   * `auto` (default): STARTTLS when the server offers it; `starttls`: require it (a server that stops
   * offering it is refused as a downgrade); `direct`: TLS from the first byte; `none`: plain TCP.
   */
  tls?: TlsMode;
  /** Send a header without `version` (jabberd 1.4 style): the server sends no features. */
  legacy?: boolean;
  /** Milliseconds for connecting, each stream step and, by default, each IQ. Default 10,000. */
  timeout?: number;
  /** Allow plaintext passwords over an unencrypted stream to a non-loopback host. Default false. */
  allowInsecure?: boolean;
  /** Certificate authorities to trust (PEM), e.g. a test server's self-signed certificate (TLS and `wss://`). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Verify the server's certificate. Default true; false only for tests you control. */
  rejectUnauthorized?: boolean;
  /** TLS server name to verify; defaults to `domain`. */
  servername?: string;
  /** Largest stanza accepted from the server, in bytes. Default 1 MiB. */
  maxStanzaBytes?: number;
  /** Most IQs waiting for a reply at once. Default 10,000. */
  maxPendingIqs?: number;
  /** Aborts connecting and the stream set-up. */
  signal?: AbortSignal;
  /** Receives every XML chunk sent and received, with secrets redacted. */
  debug?: (direction: "in" | "out", xml: string) => void;
  /** Use this already connected socket instead of dialling (tests, proxies). */
  socket?: Duplex;
  /**
   * Retries of a stream *open* the server refused with a transient `internal-server-error` stream error
   * (jabberd2 does this to a reconnect right after a session closed). Nothing was sent yet, so it is safe.
   * Default 3, with `retryDelay` (default 300 ms) doubling between tries.
   */
  openRetries?: number;
  /** Milliseconds before the first retry of `openRetries`, doubling after each. Default 300. */
  retryDelay?: number;
  /** Makes IQ ids; defaults to a random prefix and a counter. */
  ids?: () => string;
}

/** The defaults of `OpenStreamOptions`. */
export const DEFAULTS = {
  port: 5222,
  directTlsPort: 5223,
  timeout: 10_000,
  maxStanzaBytes: 1024 * 1024,
  maxPendingIqs: 10_000,
  openRetries: 3,
  retryDelay: 300,
} as const;

/** The resolved options a stream runs with; `openStream` makes them from `OpenStreamOptions`. */
export interface StreamSettings {
  /** Host name or address connected to (a WebSocket URL's host name). */
  host: string;
  /** The server's domain (the stream's `to`). */
  domain: string;
  /** A header without `version`. */
  legacy: boolean;
  /** Milliseconds for each stream step and, by default, each IQ. */
  timeout: number;
  /** Plaintext passwords allowed over an unencrypted stream. */
  allowInsecure: boolean;
  /** Largest stanza accepted from the server, in bytes. */
  maxStanzaBytes: number;
  /** Most IQs waiting for a reply at once. */
  maxPendingIqs: number;
  /** Receives the traffic, secrets redacted (`OpenStreamOptions.debug`). */
  debug: ((direction: "in" | "out", xml: string) => void) | undefined;
  /** Makes IQ ids (`OpenStreamOptions.ids`); undefined: a random prefix and a counter. */
  ids: (() => string) | undefined;
}
