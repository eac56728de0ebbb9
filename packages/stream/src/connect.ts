// Dial the server: plain TCP, or TLS from the first byte (XEP-0368 style "direct TLS").
import net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import { ConnectionError } from "@reguser/errors";
import { tlsHint } from "./tls-hints.js";

/** Where and how to connect. */
export interface DialOptions {
  host: string;
  port: number;
  /** The address to connect from; the system's choice when absent. */
  localAddress?: string | undefined;
  timeout: number;
  signal?: AbortSignal | undefined;
  tls?: tls.ConnectionOptions | undefined;
}

/** Connect to `host:port` (TLS from the first byte with `tls`), within `timeout` ms and until `signal` aborts. */
export function dial(options: DialOptions): Promise<net.Socket> {
  const { host, port, timeout, signal } = options;
  const where = `${host}:${port}`;
  // No Nagle: requests are small and each may wait for the previous reply, so a write must leave at once.
  const local = {
    noDelay: true,
    ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
  };
  return new Promise((resolve, reject) => {
    const socket = options.tls
      ? tls.connect({ ...options.tls, host, port, ...local })
      : net.connect({ host, port, ...local });
    const ready = options.tls ? "secureConnect" : "connect";
    const timer = setTimeout(
      () => fail(new ConnectionError(`Connecting to ${where} timed out after ${timeout} ms`)),
      timeout,
    );
    const onAbort = () => fail(new ConnectionError(`Connecting to ${where} was aborted`, { cause: signal?.reason }));
    const onError = (err: Error) => {
      const hint = options.tls ? tlsHint(err, "direct") : undefined;
      // OpenSSL's messages end in a line break.
      fail(new ConnectionError(`Cannot connect to ${where}: ${err.message.trim()}`, { cause: err, hint }));
    };
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      socket.off(ready, onReady);
    };
    function fail(err: Error) {
      cleanup();
      socket.destroy();
      reject(err);
    }
    function onReady() {
      cleanup();
      resolve(socket);
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("error", onError);
    socket.once(ready, onReady);
  });
}

/** Wrap a connected socket in TLS (STARTTLS after `<proceed/>`). */
export function upgradeToTls(socket: Duplex, options: tls.ConnectionOptions, timeout: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ ...options, socket });
    const timer = setTimeout(() => fail(new ConnectionError(`TLS handshake timed out after ${timeout} ms`)), timeout);
    const onError = (err: Error) =>
      fail(
        new ConnectionError(`TLS handshake failed: ${err.message.trim()}`, {
          cause: err,
          hint: tlsHint(err, "starttls"),
        }),
      );
    function fail(err: Error) {
      clearTimeout(timer);
      secure.off("secureConnect", onReady);
      secure.destroy();
      socket.destroy();
      reject(err);
    }
    function onReady() {
      clearTimeout(timer);
      secure.off("error", onError);
      resolve(secure);
    }
    secure.once("error", onError);
    secure.once("secureConnect", onReady);
  });
}
