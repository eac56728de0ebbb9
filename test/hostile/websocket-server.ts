// A scripted WebSocket server for the hostile cases: it speaks RFC 7395 as far as each script wants, then misbehaves.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { FRAMING_NS, XMPP_SUBPROTOCOL } from "@reguser/protocol";
import { type WebSocket, WebSocketServer } from "ws";

export const WS_OPEN = `<open xmlns='${FRAMING_NS}' from='localhost' id='W1' version='1.0'/>`;
export const WS_FEATURES =
  "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><register xmlns='http://jabber.org/features/iq-register'/></stream:features>";

/** One client as a script sees it: its messages in order, and the socket to answer on. */
export interface WebSocketPeer {
  readonly socket: WebSocket;
  /** The next message from the client (as text). */
  next(): Promise<string>;
}

export interface ScriptedWebSocketServer {
  readonly url: string;
  /** True once every client's socket closed (within `ms`). */
  idle(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface ScriptedWebSocketOptions {
  /** The subprotocol agreed to: `xmpp` by default, `false` for none. */
  protocol?: string | false;
}

/** Answer each client's `<open/>` with `WS_OPEN` and `WS_FEATURES` (`greet`), or let the script do everything. */
export async function greetWebSocket(peer: WebSocketPeer): Promise<void> {
  await peer.next();
  peer.socket.send(WS_OPEN);
  peer.socket.send(WS_FEATURES);
}

export async function scriptedWebSocketServer(
  script: (peer: WebSocketPeer) => void | Promise<void>,
  options: ScriptedWebSocketOptions = {},
): Promise<ScriptedWebSocketServer> {
  const server = http.createServer();
  const protocol = options.protocol ?? XMPP_SUBPROTOCOL;
  const sockets = new WebSocketServer({ server, handleProtocols: () => protocol });
  const open = new Set<WebSocket>();
  sockets.on("connection", (socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => undefined);
    const queue: string[] = [];
    const waiting: Array<(text: string) => void> = [];
    socket.on("message", (data) => {
      const text = data.toString();
      const take = waiting.shift();
      if (take) take(text);
      else queue.push(text);
    });
    const peer: WebSocketPeer = {
      socket,
      next: () => {
        const text = queue.shift();
        return text === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(text);
      },
    };
    void Promise.resolve(script(peer)).catch(() => socket.terminate());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/xmpp`,
    async idle(ms) {
      const deadline = Date.now() + ms;
      while (open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return open.size === 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
