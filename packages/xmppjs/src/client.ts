// What these plug-ins read from an @xmpp/client 0.14 entity, and the two internals its own steps call.

import { isLoopback } from "@reguser/iq";
import type { XmppClient } from "./xmppjs-types.js";

export type { CredentialsCallback, XmppClient } from "./xmppjs-types.js";

/**
 * Not in xmpp.js's public API: what @xmpp/resource-binding calls after a bind (`entity._jid(jid); entity._ready(false)`)
 * to set `client.jid` and emit `online`. A non-SASL login ends the same way.
 */
interface ClientInternals {
  _jid(id: string): unknown;
  _ready(resumed?: boolean): void;
}

/** Mark the client online as xmpp.js does after resource binding. */
export function markOnline(xmpp: XmppClient, jid: string): void {
  const internals = xmpp as unknown as ClientInternals;
  internals._jid(jid);
  internals._ready(false);
}

/** The server's address: a TCP socket has it, @xmpp/tls wraps a TLS socket in `.socket`. */
export function remoteAddressOf(xmpp: XmppClient): string | undefined {
  const socket = xmpp.socket as { remoteAddress?: string; socket?: { remoteAddress?: string } } | null;
  return socket?.remoteAddress ?? socket?.socket?.remoteAddress;
}

export function isLoopbackClient(xmpp: XmppClient): boolean {
  return isLoopback(remoteAddressOf(xmpp));
}

/** The domain the client logs in to (`options.domain`, set by `client()` from `domain` or `service`). */
export function domainOf(xmpp: XmppClient): string {
  const domain = xmpp.options.domain;
  if (!domain) throw new TypeError("The xmpp.js client has no domain: pass `domain` to client()");
  return domain;
}
