// A misbehaving server for tests: each connection runs a script that writes raw bytes on purpose.
import net from "node:net";
import tls from "node:tls";

export interface ScriptedConnection {
  socket: net.Socket;
  /** Everything the client sent so far. */
  received(): string;
  /** Resolves once the client has sent text matching `pattern`. */
  waitFor(pattern: RegExp): Promise<string>;
  write(data: string | Buffer): void;
  /** Answer the client's TLS handshake on this connection (after `<proceed/>`, or at once for direct TLS). */
  startTls(options: { key: string | Buffer; cert: string | Buffer }): tls.TLSSocket;
}

export type Script = (conn: ScriptedConnection, index: number) => void | Promise<void>;

export interface ScriptedServer {
  port: number;
  connections: number;
  /** Resolves true once every connection is closed (by either side), false after `timeout` ms. */
  idle(timeout: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function scriptedServer(script: Script): Promise<ScriptedServer> {
  const sockets = new Set<net.Socket>();
  const idlers: Array<() => void> = [];
  const state = { connections: 0 };
  const server = net.createServer((raw) => {
    let socket: net.Socket = raw;
    const track = (s: net.Socket) => {
      sockets.add(s);
      s.on("close", () => {
        sockets.delete(s);
        if (sockets.size === 0) for (const notify of idlers.splice(0)) notify();
      });
      s.on("error", () => {});
      s.on("data", onData);
    };
    let text = "";
    const waiters: Array<{ pattern: RegExp; resolve: (s: string) => void }> = [];
    function onData(chunk: Buffer) {
      text += chunk.toString("utf8");
      // Like a real server, answer the client's goodbye by closing.
      if (text.endsWith("</stream:stream>")) socket.end();
      for (const w of [...waiters]) {
        if (w.pattern.test(text)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(text);
        }
      }
    }
    track(raw);
    const conn: ScriptedConnection = {
      get socket() {
        return socket;
      },
      received: () => text,
      waitFor: (pattern) =>
        pattern.test(text) ? Promise.resolve(text) : new Promise((resolve) => waiters.push({ pattern, resolve })),
      write: (data) => {
        if (!socket.destroyed) socket.write(data);
      },
      startTls: (options) => {
        const secure = new tls.TLSSocket(raw, { isServer: true, ...options });
        socket = secure;
        track(secure);
        return secure;
      },
    };
    Promise.resolve(script(conn, state.connections++)).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get connections() {
      return state.connections;
    },
    idle: (timeout) =>
      new Promise<boolean>((resolve) => {
        if (sockets.size === 0) return resolve(true);
        const timer = setTimeout(() => resolve(false), timeout);
        idlers.push(() => (clearTimeout(timer), resolve(true)));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const HEADER_1_0 =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='S1' from='localhost' version='1.0'>";
export const LEGACY_HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='1ED34A55' from='localhost'>";
export const NO_TLS_FEATURES =
  "<stream:features><register xmlns='http://jabber.org/features/iq-register'/><auth xmlns='http://jabber.org/features/iq-auth'/></stream:features>";

/** Answer the stream header like a 1.0 server without TLS. */
export async function greet(conn: ScriptedConnection, header = HEADER_1_0, features = NO_TLS_FEATURES): Promise<void> {
  await conn.waitFor(/<stream:stream[^>]*>/);
  conn.write(header + (header.includes("version='1.0'") ? features : ""));
}
