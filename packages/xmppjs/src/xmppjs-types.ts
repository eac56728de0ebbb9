// The parts of an @xmpp/client 0.14 entity these plug-ins read and call, declared here so that our .d.ts files need
// no @types/xmpp__client (which fails `skipLibCheck: false` and pulls in express and koa types).
import type { Element } from "@xmpp/xml";

/** A JID as xmpp.js gives it (`client.jid`, what `start()` resolves to). */
export interface XmppJid {
  /** The local part (the username); `""` for a domain JID. */
  local: string;
  /** The domain part. */
  domain: string;
  /** The resource part; `""` for a bare JID. */
  resource: string;
  /** `local@domain/resource`. */
  toString(): string;
}

/** The `client()` options these plug-ins read. */
export interface XmppClientOptions {
  /** `xmpp://host:port`, `xmpps://host:port`, a WebSocket URL, or a bare domain. */
  service?: string;
  /** The domain to log in to; xmpp.js sets it from `service` when not given. */
  domain?: string;
}

/** The events these plug-ins listen to, with their listeners. */
export interface XmppClientEvents {
  /** The server's stream header. */
  open: (header: Element) => void;
  /** Every top-level element received, before xmpp.js's middleware. */
  element: (element: Element) => void;
  /** An error xmpp.js reports. */
  error: (error: Error) => void;
  /** The socket was closed. */
  disconnect: () => void;
}

/** What a stream-features step receives as its context; `entity` is the client. */
export interface XmppFeatureContext {
  /** The client whose stream offered the feature. */
  entity: XmppClient;
}

/**
 * The function form of `client({ credentials })`: xmpp.js calls it inside its SASL step with `authenticate`, the
 * mechanisms both sides support, its FAST state and the client.
 */
export type CredentialsCallback = (
  authenticate: (
    credentials: { username?: string; password?: string },
    mechanism: string,
    userAgent: Element,
  ) => Promise<void>,
  mechanisms: string[],
  fast: unknown,
  entity: XmppClient,
) => Promise<void>;

/**
 * An `@xmpp/client` 0.14 client (`client()`'s result), as far as these plug-ins use it. A client made by
 * `@xmpp/client` fits it whether or not `@types/xmpp__client` is installed.
 */
export interface XmppClient {
  /** The full JID once online, else `null` (or the JID made from `username` before that). */
  jid: XmppJid | null;
  /** `online`, `offline`, `connecting`, `open`… */
  status: string;
  /** The TCP or TLS socket wrapper of the connection, `null` when disconnected. */
  socket: unknown;
  /** The options the client was made with (`domain` filled in from `service`). */
  options: XmppClientOptions;
  /** Whether the connection is TLS-protected (or otherwise considered secure). */
  isSecure(): boolean;
  /** Connect, negotiate and go online; resolves with the bound JID. */
  start(): Promise<XmppJid>;
  /** Close the stream and the socket; no reconnect. */
  stop(): Promise<unknown>;
  /** Add an event listener. */
  on<E extends keyof XmppClientEvents>(event: E, listener: XmppClientEvents[E]): unknown;
  /** Remove an event listener. */
  off<E extends keyof XmppClientEvents>(event: E, listener: XmppClientEvents[E]): unknown;
  /** The listeners of `event`, in the order they run. */
  listeners<E extends keyof XmppClientEvents>(event: E): unknown[];
  /** Add an event listener that runs before those already added. */
  prependListener<E extends keyof XmppClientEvents>(event: E, listener: XmppClientEvents[E]): unknown;
  /** xmpp.js's IQ caller. */
  iqCaller: {
    /**
     * Send an `<iq/>` (id and `to` filled in) and resolve with its result; reject with xmpp.js's StanzaError or
     * TimeoutError.
     */
    request(stanza: Element, timeout?: number): Promise<Element>;
  };
  /** xmpp.js's reconnect plug-in. */
  reconnect: {
    /** Reconnect again after a disconnect. */
    start(): void;
    /** Do not reconnect after a disconnect. */
    stop(): void;
  };
  /** xmpp.js's stream-features middleware. */
  streamFeatures: {
    /** Add a step run when the server's features offer `name` in `xmlns`; `next()` passes on to later steps. */
    use(
      name: string,
      xmlns: string,
      step: (context: XmppFeatureContext, next: () => Promise<unknown>) => Promise<unknown>,
    ): unknown;
  };
}
