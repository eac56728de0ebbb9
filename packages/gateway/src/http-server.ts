// The HTTP server the bin runs the gateway in, with limits for slow and oversized clients: the headers within
// 10 s, the whole request within 30 s, 16 KiB of headers, a few requests per connection.
import http from "node:http";
import type { Gateway } from "./create-gateway.js";

/** Limits of `gatewayServer`, in ms and bytes. */
export interface GatewayServerOptions {
  /** ms for a client to send its headers (default 10 000). */
  headersTimeout?: number;
  /** ms for a whole request (default 30 000). */
  requestTimeout?: number;
  /** Largest header block in bytes (default 16 384): more is a 431. */
  maxHeaderSize?: number;
  /** Idle keep-alive connections are closed after this (default 5 000 ms). */
  keepAliveTimeout?: number;
}

/** What a client that broke HTTP is told, by Node's error code; anything else is a 400. */
const CLIENT_ERRORS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: "431 Request Header Fields Too Large",
  HPE_CHUNK_EXTENSIONS_OVERFLOW: "413 Payload Too Large",
  ERR_HTTP_REQUEST_TIMEOUT: "408 Request Timeout",
};

/** An `http.Server` serving `gateway` (not yet listening). */
export function gatewayServer(gateway: Gateway, options: GatewayServerOptions = {}): http.Server {
  const headersTimeout = options.headersTimeout ?? 10_000;
  const requestTimeout = options.requestTimeout ?? 30_000;
  const server = http.createServer(
    {
      headersTimeout,
      requestTimeout,
      // Node looks for expired requests only this often (30 s by default, which would add up to 30 s to both limits).
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(1_000, ...[headersTimeout, requestTimeout].filter((t) => t > 0).map((t) => t / 2)),
      ),
      maxHeaderSize: options.maxHeaderSize ?? 16_384,
      keepAliveTimeout: options.keepAliveTimeout ?? 5_000,
    },
    gateway.handle,
  );
  server.maxRequestsPerSocket = 100;
  // A client that sends garbage instead of HTTP gets a 400 (431, 408 where Node says why) and a closed socket. Closed
  // for good once the answer is out: end() alone would leave it half open for as long as the client keeps its side.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    const status = CLIENT_ERRORS[err.code ?? ""] ?? "400 Bad Request";
    if (socket.writable) {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
    } else socket.destroy();
  });
  return server;
}
