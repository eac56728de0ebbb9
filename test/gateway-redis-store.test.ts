// The Redis store against a real redis-server: the shared contract across two connections, the server's own TTLs,
// and what a caller sees when Redis is away, refuses the password, or stops mid-use.
import { spawn } from "node:child_process";
import { setTimeout } from "node:timers/promises";
import { inspect } from "node:util";
import { InvalidOptionError } from "@reguser/errors";
import {
  type GatewayStore,
  GatewayStoreError,
  GatewayStoreErrorCode,
  type PendingLink,
  redisStore,
} from "@reguser/gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeContract } from "../packages/gateway/test/store-contract.js";
import { freePort } from "./servers/ports.js";
import { describeTarget } from "./support/describe-target.js";
import { type RunningRedis, redisCommand, redisUnavailable, startRedis } from "./support/redis.js";

/** Whatever `promise` rejected with (the test fails if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("resolved"),
    (err: unknown) => err,
  );
}

describeTarget({ name: "redis-server", unavailable: redisUnavailable }, () => {
  let redis: RunningRedis;
  let prefixes = 0;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  // Every case on keys of its own: two stores (two connections) per case share them.
  storeContract("redisStore", () => {
    const keyPrefix = `contract-${++prefixes}:`;
    return { shared: true, open: () => redisStore({ url: redis.url, keyPrefix }) };
  });

  describe("redisStore keys", () => {
    const now = Date.now();
    const link = { purpose: "create", username: "juliet", email: "j@example.org", client: "shop" } as const;
    const pttl = async (key: string) => Number((await redisCommand(redis.port, ["PTTL", key])).slice(1));

    it("lets Redis expire links, reservations and windows by itself, and keeps accounts", async () => {
      const store = await redisStore({ url: redis.url, keyPrefix: "ttl:" });
      await store.putLink("id-1", { ...link, expiresAt: now + 600_000 });
      await store.reserveUsername("juliet", "id-1", now + 600_000, now);
      await store.hit("ip:192.0.2.1", 60_000, now);
      await store.recordAccount("juliet", { email: "j@example.org" });
      const start = Math.floor(now / 60_000) * 60_000;
      for (const key of ["ttl:link:id-1", "ttl:reservation:juliet", `ttl:hit:60000:${start}:ip:192.0.2.1`]) {
        const left = await pttl(key);
        expect(left, key).toBeGreaterThan(0);
        expect(left, key).toBeLessThanOrEqual(600_000);
      }
      expect(await pttl("ttl:account:juliet")).toBe(-1);
      await store.takeLink("id-1", now);
      expect(await pttl("ttl:link:id-1")).toBe(-2);
      await store.close();
    });

    it("uses the default prefix reguser:gateway:", async () => {
      const store = await redisStore({ url: redis.url });
      await store.recordAccount("prefix-check", { email: "j@example.org" });
      expect(await redisCommand(redis.port, ["EXISTS", "reguser:gateway:account:prefix-check"])).toBe(":1");
      await store.forgetAccount("prefix-check");
      await store.close();
    });

    it("reports a key it did not write instead of returning it", async () => {
      expect(await redisCommand(redis.port, ["SET", "foreign:link:id-1", "not json"])).toBe("+OK");
      const store = await redisStore({ url: redis.url, keyPrefix: "foreign:" });
      const err = await rejection(store.peekLink("id-1", now));
      expect(err).toBeInstanceOf(GatewayStoreError);
      expect(err).toMatchObject({ code: GatewayStoreErrorCode.Failed, message: expect.stringContaining('"foreign:"') });
      await store.close();
    });
  });

  describe("redisStore without Redis", () => {
    it("rejects at connect, asking whether redis-server runs there, and never shows the password", async () => {
      const port = await freePort();
      const secret = "s3cret-pa55";
      const err = await rejection(redisStore({ url: `redis://gw:${secret}@127.0.0.1:${port}`, reconnectAttempts: 1 }));
      expect(err).toBeInstanceOf(GatewayStoreError);
      expect(err).toMatchObject({ code: GatewayStoreErrorCode.Unavailable });
      expect((err as Error).message).toContain(`is redis-server running at 127.0.0.1:${port}?`);
      expect(inspect(err, { depth: Number.POSITIVE_INFINITY })).not.toContain(secret);
    });

    it("refuses a URL that is not redis:// or rediss:// without repeating it", async () => {
      const err = await rejection(redisStore({ url: "http://gw:s3cret@127.0.0.1:6379" }));
      expect(err).toBeInstanceOf(InvalidOptionError);
      expect((err as Error).message).toBe(
        'redisStore: the "url" option must be a redis:// or rediss:// URL, got something else',
      );
      expect(await rejection(redisStore({ url: "redis://gw:s3cret@[::1" }))).toBeInstanceOf(InvalidOptionError);
    });

    it("says the password was refused, without showing it", async () => {
      const guarded = await startRedis({ password: "right-horse-battery" });
      try {
        const wrong = guarded.url.replace("right-horse-battery", "wrong-staple");
        const err = await rejection(redisStore({ url: wrong }));
        expect(err).toBeInstanceOf(GatewayStoreError);
        expect((err as Error).message).toMatch(/refused the credentials .*check the user and password in the URL/);
        const shown = inspect(err, { depth: Number.POSITIVE_INFINITY });
        expect(shown).not.toContain("wrong-staple");
        expect(shown).not.toContain("right-horse-battery");
        const store = await redisStore({ url: guarded.url });
        expect(await store.hit("k", 1000, Date.now())).toMatchObject({ count: 1 });
        await store.close();
      } finally {
        await guarded.stop();
      }
    });
  });

  describe("redisStore when Redis stops mid-use", () => {
    const now = Date.now();
    const link: PendingLink = {
      purpose: "reset",
      username: "juliet",
      email: "j@example.org",
      client: "shop",
      expiresAt: now + 100_000,
    };

    async function expectUnavailable(store: GatewayStore, port: number): Promise<void> {
      const calls: [string, () => Promise<unknown>][] = [
        ["putLink", () => store.putLink("id-2", link)],
        ["takeLink", () => store.takeLink("id-1", now)],
        ["reserveUsername", () => store.reserveUsername("juliet", "id-1", now + 1000, now)],
        ["hit", () => store.hit("ip:192.0.2.1", 60_000, now)],
        ["accountOf", () => store.accountOf("juliet")],
      ];
      for (const [operation, call] of calls) {
        const err = await rejection(call());
        expect(err, operation).toBeInstanceOf(GatewayStoreError);
        expect(err, operation).toMatchObject({ code: GatewayStoreErrorCode.Unavailable });
        expect((err as Error).message, operation).toMatch(new RegExp(`^${operation}: .*127\\.0\\.0\\.1:${port}`));
      }
    }

    // 0 attempts: the client gives up at the first failure, so every later call starts a new round in the background.
    it.each([0, 3])(
      "rejects every call with a GatewayStoreError, and close() still returns (reconnectAttempts %i)",
      async (reconnectAttempts) => {
        const own = await startRedis();
        const store = await redisStore({ url: own.url, reconnectAttempts });
        await store.putLink("id-1", link);
        await own.stop();
        for (let round = 0; round < 5; round++) await expectUnavailable(store, own.port);
        await store.close();
        await store.close();
        expect(await rejection(store.peekLink("id-1", now))).toMatchObject({ code: GatewayStoreErrorCode.Closed });
      },
    );

    it.each([0, 10])("works again once Redis is back on its port (reconnectAttempts %i)", async (reconnectAttempts) => {
      const first = await startRedis();
      const { port } = first;
      const store = await redisStore({ url: first.url, reconnectAttempts });
      await store.recordAccount("juliet", { email: "j@example.org" });
      await first.stop();
      await expectUnavailable(store, port);
      const second = await startRedis({ port });
      try {
        let answer: unknown;
        for (let attempt = 0; attempt < 200 && answer === undefined; attempt++) {
          answer = await store.hit("after-restart", 60_000, now).catch(async (err: unknown) => {
            expect(err).toBeInstanceOf(GatewayStoreError);
            await setTimeout(50);
            return undefined;
          });
        }
        expect(answer).toMatchObject({ count: 1 });
      } finally {
        await store.close();
        await second.stop();
      }
    });

    // The process must end by itself after close(): no socket, timer or reconnect loop left holding it.
    it.each([
      ["connected", "answered"],
      ["after Redis stopped", "GatewayStoreError unavailable"],
    ])("lets the process exit after close() (%s)", async (when, outcome) => {
      const own = await startRedis();
      const script = `
        import { redisStore } from "@reguser/gateway";
        const store = await redisStore({ url: process.env.REDIS_URL, reconnectAttempts: 1000 });
        await store.hit("k", 60000, Date.now());
        console.log("connected");
        for await (const _ of process.stdin);
        const outcome = await store.hit("k", 60000, Date.now()).then(() => "answered", (e) => e.name + " " + e.code);
        await store.close();
        console.log(outcome);
      `;
      const args = ["--import", "tsx", "--conditions=@reguser/source", "--input-type=module", "-e", script];
      const child = spawn(process.execPath, args, { env: { ...process.env, REDIS_URL: own.url } });
      try {
        const guard = globalThis.setTimeout(() => child.kill("SIGKILL"), 25_000);
        let stdout = "";
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
        const connected = new Promise<void>((resolve) =>
          child.stdout.on("data", (d) => {
            stdout += d;
            if (stdout.includes("connected")) resolve();
          }),
        );
        await Promise.race([connected, exited]);
        if (when !== "connected") await own.stop();
        child.stdin.end();
        const code = await exited;
        globalThis.clearTimeout(guard);
        expect({ code, stderr, last: stdout.trim().split("\n").at(-1) }).toStrictEqual({
          code: 0,
          stderr: "",
          last: outcome,
        });
      } finally {
        child.kill("SIGKILL");
        await own.stop();
      }
    });
  });
});
