// RFC 6120 §5 STARTTLS, the server side: <proceed/>, then TLS over the same TCP socket.
import type net from "node:net";
import tls from "node:tls";
import { NS } from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";
import type { TlsCredentials } from "../options.js";

export const proceed = (): Element => xml("proceed", { xmlns: NS.tls });
export const tlsFailure = (): Element => xml("failure", { xmlns: NS.tls });

export type TlsUpgrade = (socket: net.Socket) => tls.TLSSocket;

/** Wraps a plain socket whose data listeners were removed; the handshake starts with the client's hello. */
export function startTls({ key, cert }: TlsCredentials): TlsUpgrade {
  const secureContext = tls.createSecureContext({ key, cert });
  return (socket) => new tls.TLSSocket(socket, { isServer: true, secureContext });
}
