// GatewayStore in Redis through node-redis: state shared by several gateway instances behind a load balancer.
import { requireTextOptions } from "@reguser/errors";
import { fixedWindow, isLive } from "./fixed-window.js";
import type { AccountRecord, GatewayStore, PendingLink, WindowCount } from "./gateway-store.js";
import { connectRedis } from "./redis-connection.js";
import { redisEndpoint } from "./redis-endpoint.js";
import { HIT, RELEASE_USERNAME, RESERVE_USERNAME } from "./redis-scripts.js";
import { readJson } from "./redis-values.js";

export interface RedisStoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string;
  /** Put before every key, so that one Redis can serve several gateways; default `"reguser:gateway:"`. */
  keyPrefix?: string;
  /** How long one connection attempt may take; default 5000 ms. */
  connectTimeoutMs?: number;
  /** How long one command may wait for its reply; default 5000 ms. */
  commandTimeoutMs?: number;
  /** Attempts after a failed one (50 ms doubling to 2 s apart) before giving up until the next call; default 10. */
  reconnectAttempts?: number;
}

/** Milliseconds for a TTL: a positive integer, however close or past the instant. */
const ttl = (ms: number) => Math.max(1, Math.ceil(ms));

/**
 * A store in the Redis at `url`, connected before it resolves (or rejected with a `GatewayStoreError` asking whether
 * redis-server is running there). Needs Redis 6.2 or later (GETDEL). Every key carries a server TTL as well: links
 * expire at their `expiresAt` (PXAT, so the gateway's and Redis's clocks should agree), reservations and rate-limit
 * windows after the time left at `now`; accounts do not expire. While Redis is away calls reject at once with a
 * `GatewayStoreError` (code "unavailable") and the client reconnects in the background, a bounded number of times.
 */
export async function redisStore(options: RedisStoreOptions): Promise<GatewayStore> {
  requireTextOptions("redisStore", options, { required: ["url"] });
  const endpoint = redisEndpoint(options.url);
  const prefix = options.keyPrefix ?? "reguser:gateway:";
  const key = {
    link: (id: string) => `${prefix}link:${id}`,
    reservation: (username: string) => `${prefix}reservation:${username}`,
    window: (name: string, windowMs: number, start: number) => `${prefix}hit:${windowMs}:${start}:${name}`,
    account: (username: string) => `${prefix}account:${username}`,
  };
  const redis = await connectRedis({
    url: options.url,
    endpoint,
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    commandTimeoutMs: options.commandTimeoutMs ?? 5000,
    reconnectAttempts: options.reconnectAttempts ?? 10,
  });
  const live = (link: PendingLink | undefined, now: number) => (link && isLive(link.expiresAt, now) ? link : undefined);

  return {
    async putLink(id: string, link: PendingLink) {
      const value = JSON.stringify(link);
      await redis.run("putLink", (c) =>
        c.set(key.link(id), value, { expiration: { type: "PXAT", value: ttl(link.expiresAt) } }),
      );
    },
    async peekLink(id: string, now: number) {
      const text = await redis.run("peekLink", (c) => c.get(key.link(id)));
      return live(readJson("link", prefix, text), now);
    },
    async takeLink(id: string, now: number) {
      const text = await redis.run("takeLink", (c) => c.getDel(key.link(id)));
      return live(readJson("link", prefix, text), now);
    },
    async reserveUsername(username: string, id: string, expiresAt: number, now: number) {
      const value = JSON.stringify({ id, expiresAt });
      const args = [id, value, String(now), String(ttl(expiresAt - now))];
      const reply = await redis.run("reserveUsername", (c) =>
        c.eval(RESERVE_USERNAME, { keys: [key.reservation(username)], arguments: args }),
      );
      return reply === 1;
    },
    async releaseUsername(username: string, id: string) {
      await redis.run("releaseUsername", (c) =>
        c.eval(RELEASE_USERNAME, { keys: [key.reservation(username)], arguments: [id] }),
      );
    },
    async hit(name: string, windowMs: number, now: number): Promise<WindowCount> {
      const window = fixedWindow(windowMs, now);
      const counter = key.window(name, windowMs, window.start);
      const count = await redis.run("hit", (c) =>
        c.eval(HIT, { keys: [counter], arguments: [String(ttl(window.resetAt - now))] }),
      );
      return { count: Number(count), resetAt: window.resetAt };
    },
    async recordAccount(username: string, record: AccountRecord) {
      const value = JSON.stringify(record);
      await redis.run("recordAccount", (c) => c.set(key.account(username), value));
    },
    async accountOf(username: string) {
      const text = await redis.run("accountOf", (c) => c.get(key.account(username)));
      return readJson("account", prefix, text);
    },
    async forgetAccount(username: string) {
      await redis.run("forgetAccount", (c) => c.del(key.account(username)));
    },
    close: () => redis.close(),
  };
}
