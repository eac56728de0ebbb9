// One node-redis client for the Redis store: bounded reconnects, calls that fail fast while Redis is away, and
// errors that name host:port and what to check, never the password.
import { ClientClosedError, createClient, ErrorReply, ReconnectStrategyError } from "redis";
import type { RedisEndpoint } from "./redis-endpoint.js";
import { GatewayStoreError, GatewayStoreErrorCode } from "./store-error.js";

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisConnectionOptions {
  url: string;
  endpoint: RedisEndpoint;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  reconnectAttempts: number;
}

export interface RedisConnection {
  /** Runs one command or script; whatever goes wrong on the way becomes a GatewayStoreError. */
  run<T>(operation: string, command: (client: RedisClient) => Promise<T>): Promise<T>;
  /** Waits for the calls under way (each has its deadline), then drops the connection and stops reconnecting. */
  close(): Promise<void>;
}

/** Backoff between attempts: 50 ms doubling to at most 2 s. */
const backoff = (retries: number) => Math.min(50 * 2 ** retries, 2000);

/** Connects, trying `1 + reconnectAttempts` times; rejects with a GatewayStoreError saying what to check. */
export async function connectRedis(options: RedisConnectionOptions): Promise<RedisConnection> {
  const { endpoint } = options;
  let closed = false;
  let reconnecting: Promise<unknown> | undefined;
  const inFlight = new Set<Promise<unknown>>();
  const client = createClient({
    url: options.url,
    // A call while the connection is down rejects at once instead of waiting in a queue for Redis to return.
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs },
    socket: {
      connectTimeout: options.connectTimeoutMs,
      // A refusal by the server (a wrong password) will not change by trying again.
      reconnectStrategy: (retries, cause) =>
        closed || cause instanceof ErrorReply || retries >= options.reconnectAttempts
          ? new Error("gave up reconnecting")
          : backoff(retries),
    },
  });
  // node-redis emits 'error' for every failed attempt; unheard, it would crash the process. Calls report instead.
  client.on("error", () => {});
  // A reconnect that succeeds just as close() runs cannot be dropped through the API: let it not hold the process.
  client.on("ready", () => {
    if (closed) client.unref();
  });

  const fail = (operation: string, err: unknown): GatewayStoreError | Error => {
    if (err instanceof TypeError || err instanceof RangeError) return err;
    const cause = err instanceof ReconnectStrategyError ? err.socketError : err;
    const reason = endpoint.scrub(cause instanceof Error ? cause.message || cause.name : String(cause));
    if (closed && err instanceof ClientClosedError) {
      return new GatewayStoreError(
        GatewayStoreErrorCode.Closed,
        `${operation}: the Redis store for ${endpoint.where} is closed`,
        { cause },
      );
    }
    if (cause instanceof ErrorReply && /^(WRONGPASS|NOAUTH)\b/.test(reason)) {
      const message = `${operation}: Redis at ${endpoint.where} refused the credentials (${reason}); check the user and password in the URL`;
      return new GatewayStoreError(GatewayStoreErrorCode.Unavailable, message, { cause });
    }
    if (cause instanceof ErrorReply) {
      const message = `${operation}: Redis at ${endpoint.where} answered with an error: ${reason}`;
      return new GatewayStoreError(GatewayStoreErrorCode.Failed, message, { cause });
    }
    const message = `${operation}: no connection to Redis (${reason}); is redis-server running at ${endpoint.where}?`;
    return new GatewayStoreError(GatewayStoreErrorCode.Unavailable, message, { cause });
  };

  try {
    await client.connect();
  } catch (err) {
    if (client.isOpen) client.destroy();
    throw fail("connect", err);
  }

  /** After the client gave up: one more round of attempts, in the background, while calls keep coming. */
  const reconnect = () => {
    reconnecting ??= client
      .connect()
      .catch(() => {})
      .finally(() => {
        reconnecting = undefined;
      });
  };

  return {
    run<T>(operation: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(fail(operation, new ClientClosedError()));
      if (!client.isOpen) reconnect();
      const call = command(client).catch((err: unknown) => {
        throw fail(operation, err);
      });
      inFlight.add(call);
      void call.then(
        () => inFlight.delete(call),
        () => inFlight.delete(call),
      );
      return call;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled(inFlight);
      if (client.isOpen) client.destroy();
      await reconnecting;
    },
  };
}
