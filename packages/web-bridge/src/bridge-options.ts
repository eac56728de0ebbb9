// What createWebBridge takes, with defaults, checked once at start.
import type { XmppTarget } from "./xmpp-login.js";

/** Options of `createWebBridge`. */
export interface WebBridgeOptions {
  /** The XMPP server users log in to. */
  xmpp: XmppTarget;
  /** Allow `POST /register/:username` (in-band registration, where the server allows it). Default false. */
  allowRegistration?: boolean;
  /** ms a token lives (default 8 h). */
  tokenTtlMs?: number;
  /** ms a token may sit unused with no event stream open (default 30 min). */
  idleMs?: number;
  /** ms a ticket for `GET /sse` lives (default 30 s). */
  ticketTtlMs?: number;
  /** ms the XMPP session stays after its last event stream closes (default 30 s). */
  graceMs?: number;
  /** Most tokens (logins) per user at once; the oldest goes first (default 20). */
  maxTokensPerUser?: number;
  /** Most event streams per user at once (default 10); one more is a 429. */
  maxStreamsPerUser?: number;
  /** Most users with an XMPP session at once (default 1 000); one more login is a 429. */
  maxSessions?: number;
  /** Most frames queued for a slow event-stream reader before the oldest are dropped (default 256). */
  maxQueuedEvents?: number;
  /** ms between heartbeat comments on event streams (default 15 000). */
  heartbeatMs?: number;
  /** Largest request body in bytes (default 16 384). */
  maxBodyBytes?: number;
  /** ms a client may take to send its body (default 10 000). */
  bodyTimeout?: number;
  /** Origins allowed to call the bridge from pages served elsewhere (CORS), e.g. `https://app.example.org`. */
  allowedOrigins?: readonly string[];
  /** Serve the example page at `/` (default true). */
  examplePage?: boolean;
  /** Told what the bridge does; never given a password, token or ticket. */
  log?: (event: BridgeLogEvent) => void;
  /** The clock (tests). */
  now?: () => number;
}

/** A line for the log. */
export interface BridgeLogEvent {
  type:
    | "login"
    | "login_refused"
    | "session_started"
    | "session_ended"
    | "stream_opened"
    | "stream_closed"
    | "message_sent"
    | "registered"
    | "request_refused";
  username?: string;
  status?: number;
  code?: string;
  /** Why a session ended, or a failure's class. */
  detail?: string;
}

export type ResolvedBridgeOptions = Required<Omit<WebBridgeOptions, "log" | "now" | "allowedOrigins">> & {
  allowedOrigins: readonly string[];
  log: (event: BridgeLogEvent) => void;
  now: () => number;
};

/** Defaults filled in; a TypeError naming the first bad setting. */
export function resolveBridgeOptions(options: WebBridgeOptions): ResolvedBridgeOptions {
  if (!options?.xmpp?.service || !options.xmpp.domain) {
    throw new TypeError("createWebBridge: xmpp needs a service (xmpp://host:port or ws://…) and a domain");
  }
  if (
    /^wss?:\/\//.test(options.xmpp.service) &&
    typeof (globalThis as { WebSocket?: unknown }).WebSocket !== "function"
  ) {
    // @xmpp/client dials WebSocket through the global one, which Node 20 lacks (Node 22 has it).
    throw new TypeError(
      "createWebBridge: a ws:// or wss:// service needs a global WebSocket, which this Node has not: " +
        "globalThis.WebSocket = (await import('ws')).WebSocket before createWebBridge, or use xmpp:// (Node 22 has one)",
    );
  }
  const positive = (name: keyof WebBridgeOptions, fallback: number) => {
    const value = (options[name] as number | undefined) ?? fallback;
    if (!Number.isFinite(value) || value <= 0)
      throw new TypeError(`createWebBridge: ${name} must be a positive number`);
    return value;
  };
  for (const origin of options.allowedOrigins ?? []) {
    if (!/^https?:\/\/[^/]+$/.test(origin))
      throw new TypeError(`createWebBridge: "${origin}" is not an origin (scheme://host[:port])`);
  }
  return {
    xmpp: options.xmpp,
    allowRegistration: options.allowRegistration ?? false,
    tokenTtlMs: positive("tokenTtlMs", 8 * 3_600_000),
    idleMs: positive("idleMs", 30 * 60_000),
    ticketTtlMs: positive("ticketTtlMs", 30_000),
    graceMs: positive("graceMs", 30_000),
    maxTokensPerUser: positive("maxTokensPerUser", 20),
    maxStreamsPerUser: positive("maxStreamsPerUser", 10),
    maxSessions: positive("maxSessions", 1000),
    maxQueuedEvents: positive("maxQueuedEvents", 256),
    heartbeatMs: positive("heartbeatMs", 15_000),
    maxBodyBytes: positive("maxBodyBytes", 16_384),
    bodyTimeout: positive("bodyTimeout", 10_000),
    allowedOrigins: options.allowedOrigins ?? [],
    examplePage: options.examplePage ?? true,
    log: options.log ?? (() => {}),
    now: options.now ?? Date.now,
  };
}
