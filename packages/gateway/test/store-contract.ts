// The GatewayStore contract, one suite for every store: what the gateway relies on, nothing about how it is kept.
import { afterEach, describe, expect, it } from "vitest";
import { type GatewayStore, GatewayStoreError, GatewayStoreErrorCode, type PendingLink } from "../src/store/index.js";

/** One fresh, empty state to run a case on. */
export interface StoreSubject {
  /** A store on this state; with `shared`, every call another instance (connection, handle) on the same state. */
  open(): GatewayStore | Promise<GatewayStore>;
  /** Whether stores from `open` share state (":memory:" does not: each is its own database). */
  shared: boolean;
}

/** The cases, in a `describe` named after the store; `subject` is called once per case. */
export function storeContract(name: string, subject: () => StoreSubject | Promise<StoreSubject>): void {
  describe(`${name}: the GatewayStore contract`, () => {
    const opened: GatewayStore[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });
    async function fresh() {
      const { open: make, shared } = await subject();
      const open = async () => {
        const store = await make();
        opened.push(store);
        return store;
      };
      return { store: await open(), open, shared };
    }
    // A whole minute, one to two minutes ahead of the real clock: the Redis store also has keys expire by the server's
    // clock (a link at its expiresAt), so the times a case passes must not already be past there.
    const t0 = (Math.floor(Date.now() / 60_000) + 2) * 60_000;
    const link = (extra: Partial<PendingLink> = {}): PendingLink => ({
      purpose: "create",
      username: "juliet",
      email: "juliet@example.org",
      name: "Juliet Capulet",
      client: "shop",
      expiresAt: t0 + 600_000,
      ...extra,
    });

    it("puts a link, peeks at it any number of times, then takes it", async () => {
      const { store } = await fresh();
      await store.putLink("id-1", link());
      expect(await store.peekLink("id-1", t0)).toStrictEqual(link());
      expect(await store.peekLink("id-1", t0 + 1)).toStrictEqual(link());
      expect(await store.takeLink("id-1", t0 + 2)).toStrictEqual(link());
      expect(await store.peekLink("id-1", t0 + 3)).toBeUndefined();
      expect(await store.peekLink("id-unknown", t0)).toBeUndefined();
    });

    it("keeps a link without a name as one without a name", async () => {
      const { store } = await fresh();
      const { name: _, ...reset } = link({ purpose: "reset" });
      await store.putLink("id-1", reset);
      expect(await store.takeLink("id-1", t0)).toStrictEqual(reset);
    });

    it("gives a link to the first take only", async () => {
      const { store } = await fresh();
      await store.putLink("id-1", link());
      expect(await store.takeLink("id-1", t0)).toStrictEqual(link());
      expect(await store.takeLink("id-1", t0)).toBeUndefined();
    });

    it("neither shows nor gives a link from its expiresAt on", async () => {
      const { store } = await fresh();
      await store.putLink("id-1", link({ expiresAt: t0 + 1000 }));
      expect(await store.peekLink("id-1", t0 + 999)).toStrictEqual(link({ expiresAt: t0 + 1000 }));
      expect(await store.peekLink("id-1", t0 + 1000)).toBeUndefined();
      expect(await store.takeLink("id-1", t0 + 1000)).toBeUndefined();
      expect(await store.takeLink("id-1", t0 + 5000)).toBeUndefined();
    });

    it("gives a link to exactly one of 50 concurrent takes (from two stores where they share state)", async () => {
      const { store, open, shared } = await fresh();
      const stores = shared ? [store, await open()] : [store];
      await store.putLink("id-1", link());
      const taken = await Promise.all(
        Array.from({ length: 50 }, (_, i) => stores[i % stores.length]!.takeLink("id-1", t0)),
      );
      expect(taken.filter((l) => l !== undefined)).toStrictEqual([link()]);
    });

    it("holds a username for its link, refuses it to another, renews it for the same", async () => {
      const { store } = await fresh();
      expect(await store.reserveUsername("juliet", "link-a", t0 + 1000, t0)).toBe(true);
      expect(await store.reserveUsername("juliet", "link-b", t0 + 1000, t0 + 10)).toBe(false);
      expect(await store.reserveUsername("juliet", "link-a", t0 + 5000, t0 + 500)).toBe(true);
      // Renewed: still held past the first expiry.
      expect(await store.reserveUsername("juliet", "link-b", t0 + 9000, t0 + 1500)).toBe(false);
      expect(await store.reserveUsername("romeo", "link-b", t0 + 1000, t0)).toBe(true);
    });

    it("frees a username once its hold has expired", async () => {
      const { store } = await fresh();
      expect(await store.reserveUsername("juliet", "link-a", t0 + 1000, t0)).toBe(true);
      expect(await store.reserveUsername("juliet", "link-b", t0 + 9000, t0 + 999)).toBe(false);
      expect(await store.reserveUsername("juliet", "link-b", t0 + 9000, t0 + 1000)).toBe(true);
      expect(await store.reserveUsername("juliet", "link-a", t0 + 9000, t0 + 1001)).toBe(false);
    });

    it("frees a username on release by its link, not by another", async () => {
      const { store } = await fresh();
      expect(await store.reserveUsername("juliet", "link-a", t0 + 5000, t0)).toBe(true);
      await store.releaseUsername("juliet", "link-b");
      expect(await store.reserveUsername("juliet", "link-b", t0 + 5000, t0 + 1)).toBe(false);
      await store.releaseUsername("juliet", "link-a");
      expect(await store.reserveUsername("juliet", "link-b", t0 + 5000, t0 + 2)).toBe(true);
      await store.releaseUsername("nobody", "link-a");
    });

    it("gives a username to exactly one of 20 concurrent reservations", async () => {
      const { store, open, shared } = await fresh();
      const stores = shared ? [store, await open()] : [store];
      const won = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stores[i % stores.length]!.reserveUsername("juliet", `link-${i}`, t0 + 5000, t0),
        ),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it("counts hits in a fixed window and starts again in the next", async () => {
      const { store } = await fresh();
      const minute = 60_000;
      expect(await store.hit("ip:192.0.2.1", minute, t0)).toStrictEqual({ count: 1, resetAt: t0 + minute });
      expect(await store.hit("ip:192.0.2.1", minute, t0 + 1)).toStrictEqual({ count: 2, resetAt: t0 + minute });
      expect(await store.hit("ip:192.0.2.1", minute, t0 + minute - 1)).toStrictEqual({
        count: 3,
        resetAt: t0 + minute,
      });
      expect(await store.hit("ip:192.0.2.1", minute, t0 + minute)).toStrictEqual({
        count: 1,
        resetAt: t0 + 2 * minute,
      });
      expect(await store.hit("ip:192.0.2.1", minute, t0 + minute + 5)).toStrictEqual({
        count: 2,
        resetAt: t0 + 2 * minute,
      });
    });

    it("keeps separate counts per key and per window length", async () => {
      const { store } = await fresh();
      await store.hit("ip:192.0.2.1", 60_000, t0);
      expect(await store.hit("ip:192.0.2.2", 60_000, t0)).toStrictEqual({ count: 1, resetAt: t0 + 60_000 });
      expect(await store.hit("ip:192.0.2.1", 3_600_000, t0)).toMatchObject({ count: 1 });
      expect(await store.hit("ip:192.0.2.1", 60_000, t0)).toMatchObject({ count: 2 });
    });

    it("counts every one of 30 concurrent hits", async () => {
      const { store, open, shared } = await fresh();
      const stores = shared ? [store, await open()] : [store];
      const counts = await Promise.all(
        Array.from({ length: 30 }, (_, i) => stores[i % stores.length]!.hit("client:shop", 60_000, t0)),
      );
      expect(counts.map((c) => c.count).sort((a, b) => a - b)).toStrictEqual(
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
    });

    it("records, replaces and forgets the address of an account", async () => {
      const { store } = await fresh();
      expect(await store.accountOf("juliet")).toBeUndefined();
      await store.recordAccount("juliet", { email: "juliet@example.org", name: "Juliet" });
      expect(await store.accountOf("juliet")).toStrictEqual({ email: "juliet@example.org", name: "Juliet" });
      await store.recordAccount("juliet", { email: "j@example.net" });
      expect(await store.accountOf("juliet")).toStrictEqual({ email: "j@example.net" });
      expect(await store.accountOf("romeo")).toBeUndefined();
      await store.forgetAccount("juliet");
      expect(await store.accountOf("juliet")).toBeUndefined();
      await store.forgetAccount("juliet");
    });

    it("closes twice without complaint and rejects every call after close", async () => {
      const { store } = await fresh();
      await store.putLink("id-1", link());
      await store.close();
      await store.close();
      const calls: [string, () => Promise<unknown>][] = [
        ["putLink", () => store.putLink("id-2", link())],
        ["peekLink", () => store.peekLink("id-1", t0)],
        ["takeLink", () => store.takeLink("id-1", t0)],
        ["reserveUsername", () => store.reserveUsername("juliet", "link-a", t0 + 1000, t0)],
        ["releaseUsername", () => store.releaseUsername("juliet", "link-a")],
        ["hit", () => store.hit("ip:192.0.2.1", 60_000, t0)],
        ["recordAccount", () => store.recordAccount("juliet", { email: "juliet@example.org" })],
        ["accountOf", () => store.accountOf("juliet")],
        ["forgetAccount", () => store.forgetAccount("juliet")],
      ];
      for (const [operation, call] of calls) {
        const err = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, operation).toBeInstanceOf(GatewayStoreError);
        expect((err as GatewayStoreError).code, operation).toBe(GatewayStoreErrorCode.Closed);
        expect((err as Error).message, operation).toMatch(new RegExp(`^${operation}: .*closed`));
      }
    });
  });
}
