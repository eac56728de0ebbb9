// The HTTP server the bin runs the gateway in, with limits for slow and oversized clients: the headers within
// 10 s, the whole request within 30 s, 16 KiB of headers, a few requests per connection.
import http from "node:http";
import type { Gateway } from "./create-gateway.js";

/** Limits of `gatewayServer`, in ms and bytes. */
export interface GatewayServerOptions {
  headersTimeout?: number;
  requestTimeout?: number;
  maxHeaderSize?: number;
  /** Idle keep-alive connections are closed after this (default 5 000 ms). */
  keepAliveTimeout?: number;
}

/** An `http.Server` serving `gateway` (not yet listening). */
export function gatewayServer(gateway: Gateway, options: GatewayServerOptions = {}): http.Server {
  const server = http.createServer(
    {
      headersTimeout: options.headersTimeout ?? 10_000,
      requestTimeout: options.requestTimeout ?? 30_000,
      maxHeaderSize: options.maxHeaderSize ?? 16_384,
      keepAliveTimeout: options.keepAliveTimeout ?? 5_000,
    },
    gateway.handle,
  );
  server.maxRequestsPerSocket = 100;
  // A client that sends garbage instead of HTTP gets a 400 and a closed socket, nothing more.
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });
  return server;
}
