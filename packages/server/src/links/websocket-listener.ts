// The embedded server's WebSocket listener (RFC 7395): an HTTP server whose one path upgrades to subprotocol `xmpp`.
import http from "node:http";
import { XMPP_SUBPROTOCOL } from "@reguser/protocol";
import { WebSocketServer } from "ws";
import type { ClientLink } from "./client-link.js";
import { WebSocketLink } from "./websocket-link.js";

/** Prosody's path (mod_websocket); ejabberd's is whatever its listener maps, often `/ws`. */
export const WEBSOCKET_PATH = "/xmpp-websocket";

/** A listening WebSocket endpoint. */
export interface WebSocketListener {
  readonly url: string;
  /** Stops listening; the connections themselves are the server's to end. */
  close(): Promise<void>;
}

/** Listen on `host:port` for WebSocket clients asking for `xmpp`, handing each to `accept`. */
export async function listenForWebSockets(
  options: { host: string; port: number; maxStanzaBytes: number; log: ((line: string) => void) | undefined },
  accept: (link: ClientLink) => void,
): Promise<WebSocketListener> {
  const server = http.createServer((_request, response) => {
    response.writeHead(426, { "content-type": "text/plain", upgrade: "websocket" });
    response.end(`XMPP over WebSocket is at ${WEBSOCKET_PATH}\n`);
  });
  const sockets = new WebSocketServer({
    server,
    path: WEBSOCKET_PATH,
    maxPayload: options.maxStanzaBytes,
    perMessageDeflate: false,
    // RFC 7395 §3.2: a client that does not ask for `xmpp` gets no subprotocol, and should give up.
    handleProtocols: (protocols) => (protocols.has(XMPP_SUBPROTOCOL) ? XMPP_SUBPROTOCOL : false),
  });
  sockets.on("connection", (socket) => accept(new WebSocketLink(socket)));
  sockets.on("error", (err) => options.log?.(`websocket listener error: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `ws://${host}:${port}${WEBSOCKET_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
