// Start the embedded server: bind (loopback by default), accept up to maxConnections, close everything.
import net from "node:net";
import { StreamError } from "@reguser/errors";
import { Connection } from "./connection.js";
import type { ServerState } from "./context.js";
import { resolveOptions, type ServerOptions } from "./options.js";
import { MemoryStore } from "./store.js";

export interface Users {
  readonly size: number;
  has(username: string): boolean;
}

export interface EmbeddedServer {
  port: number;
  host: string;
  domain: string;
  users: Users;
  /** Ends every connection and stops listening; nothing is left to keep the process alive. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<EmbeddedServer> {
  const resolved = resolveOptions(options);
  const store = new MemoryStore(resolved.zeroKnowledgeSequences, resolved.now);
  const state: ServerState = { options: resolved, store, online: new Set() };
  const connections = new Set<Connection>();
  const sockets = new Set<net.Socket>();

  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const connection = new Connection(socket, state);
    connections.add(connection);
    socket.on("close", () => connections.delete(connection));
    if (connections.size > resolved.maxConnections) {
      connection.refuse(new StreamError({ condition: "resource-constraint", text: "Too many connections" }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(resolved.port, resolved.host, () => resolve());
  });
  const address = listener.address() as net.AddressInfo;

  return {
    port: address.port,
    host: resolved.host,
    domain: resolved.domain,
    users: {
      get size() {
        return store.size;
      },
      has: (username) => store.has(username),
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of connections) connection.end(new StreamError({ condition: "system-shutdown" }));
        for (const socket of sockets) socket.destroy();
        listener.close(() => resolve());
      }),
  };
}
