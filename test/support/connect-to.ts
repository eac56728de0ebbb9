// How the suites open a stream to a server the run started: its address and domain, its test CA, and a timeout
// that only guards against a hang (a busy machine must never trip it).
import type { OpenStreamOptions } from "reguser";

/** A started server as the suites see it (a real one from test/servers, or the embedded one). */
export interface Reachable {
  host: string;
  port: number;
  domain: string;
  /** Its self-signed certificate, when it has one. */
  ca?: string | undefined;
  /** Its WebSocket endpoint, when it was started with one. */
  webSocketUrl?: string | undefined;
}

/** `openStream` options for `server`, with `extra` on top. */
export function connectTo(server: Reachable, extra: Partial<OpenStreamOptions> = {}): OpenStreamOptions {
  const { host, port, domain } = server;
  return { host, port, domain, timeout: 20_000, ...(server.ca ? { ca: server.ca } : {}), ...extra };
}

/** The same over the server's WebSocket endpoint (RFC 7395). */
export function connectOverWebSocket(server: Reachable, extra: Partial<OpenStreamOptions> = {}): OpenStreamOptions {
  if (!server.webSocketUrl) throw new Error(`${server.host}:${server.port} was started without a WebSocket endpoint`);
  return { url: server.webSocketUrl, domain: server.domain, timeout: 20_000, ...extra };
}
