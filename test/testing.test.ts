// @reguser/testing on a real Prosody: throwaway users, the supply, the vitest fixtures, the pool, registration off.
import {
  AccountsLeftError,
  createThrowawayUser,
  createUserPool,
  createUserSupply,
  RegistrationClosedError,
} from "@reguser/testing";
import { withXmppUser } from "@reguser/testing/vitest";
import { authenticate, changePassword, type OpenStreamOptions, openStream } from "reguser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { describeTarget } from "./support/describe-target.js";
import { prosody } from "./support/real-targets.js";

describeTarget(prosody, () => {
  let open: RunningServer;
  let closed: RunningServer;
  const connect = (s: RunningServer): OpenStreamOptions => ({ host: s.host, port: s.port, domain: s.domain });

  beforeAll(async () => {
    [open, closed] = await Promise.all([startServer("prosody"), startServer("prosody", { allowRegistration: false })]);
  });
  afterAll(() => Promise.all([open?.stop(), closed?.stop()]));

  it("creates a unique user that can log in, and removes it", async () => {
    const [a, b] = await Promise.all([
      createThrowawayUser({ ...connect(open), prefix: "ci" }),
      createThrowawayUser({ ...connect(open), prefix: "ci" }),
    ]);
    expect(a.username).toMatch(/^ci[0-9a-f]{12}$/);
    expect(a.username).not.toBe(b.username);
    expect(a.jid).toBe(`${a.username}@localhost`);
    expect(a.password.length).toBeGreaterThanOrEqual(32);
    expect(await canLogIn(connect(open), a.username, a.password)).toBe(true);
    await Promise.all([a.remove(), b.remove()]);
    await a.remove(); // twice is fine
    expect(await canLogIn(connect(open), a.username, a.password)).toBe(false);
  });

  it("says clearly that registration is off when no admin path is configured", async () => {
    const attempt = createThrowawayUser(connect(closed));
    await expect(attempt).rejects.toBeInstanceOf(RegistrationClosedError);
    await expect(attempt).rejects.toThrow(/refused by localhost.*pass `admin`/);
  });

  it("falls back to the admin path when registration is off", async () => {
    const created: string[] = [];
    const deleted: string[] = [];
    // An admin path that really creates the account: here, on the open server's in-band registration.
    const adminStream = await openStream(connect(open));
    const { register } = await import("reguser");
    const admin = {
      createUser: async (account: { username: string; password: string }) => {
        await register(adminStream, account);
        created.push(account.username);
      },
      removeUser: async (username: string) => {
        deleted.push(username);
      },
    };
    const user = await createThrowawayUser({ ...connect(closed), admin });
    expect(created).toEqual([user.username]);
    expect(await canLogIn(connect(open), user.username, user.password)).toBe(true);
    await user.remove();
    expect(deleted).toEqual([user.username]);
    await adminStream.close();
  });

  it("pre-registers a pool in bulk, hands users out and removes them all", async () => {
    const pool = await createUserPool({ ...connect(open), size: 40, prefix: "pool" });
    expect(pool.remaining).toBe(40);
    const first = pool.take();
    expect(pool.remaining).toBe(39);
    expect(await canLogIn(connect(open), first.username, first.password)).toBe(true);
    for (let i = 0; i < 39; i++) pool.take();
    expect(() => pool.take()).toThrow(/used up/);
    const removal = await pool.removeAll();
    expect(removal).toMatchObject({ ok: 40, failed: 0 });
    expect(await canLogIn(connect(open), first.username, first.password)).toBe(false);
  });

  it("supplies users in batches on one stream and removes them all in bulk, reporting one it cannot", async () => {
    const supply = createUserSupply({ ...connect(open), prefix: "sup" });
    const users = await Promise.all(Array.from({ length: 20 }, () => supply.take()));
    expect(new Set(users.map((u) => u.username)).size).toBe(20);
    expect(supply.outstanding).toBe(28); // batches of 4, 8 and 16
    for (const user of [users[0], users[19]]) {
      expect(await canLogIn(connect(open), user?.username ?? "", user?.password ?? "")).toBe(true);
    }
    await users[1]?.remove();
    expect(await supply.removeAll()).toEqual({ removed: 27, alreadyGone: 0 });
    for (const user of users) expect(await canLogIn(connect(open), user.username, user.password)).toBe(false);

    const changed = await supply.take();
    const stream = await openStream(connect(open));
    await authenticate(stream, { username: changed.username, password: changed.password, resource: "t" });
    await changePassword(stream, { username: changed.username, password: "changed-on-prosody-1" });
    await stream.close();
    const left = await supply.close().catch((err: unknown) => err);
    expect(left).toBeInstanceOf(AccountsLeftError);
    expect((left as AccountsLeftError).accounts.map((a) => a.username)).toEqual([changed.username]);
    expect(await canLogIn(connect(open), changed.username, "changed-on-prosody-1")).toBe(true);
  });

  describe("the vitest fixture", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer("prosody");
    });
    const seen: { username: string; password: string }[] = [];
    const fresh: { username: string; password: string }[] = [];
    afterAll(async () => {
      // The fixture's own afterAll ran first (registered later): every account is gone.
      for (const user of seen) expect(await canLogIn(connect(server), user.username, user.password)).toBe(false);
      await server?.stop();
    });
    const test = withXmppUser(() => connect(server));

    test("gives each test a registered user of its own", async ({ xmppUser }) => {
      seen.push(xmppUser);
      expect(await canLogIn(connect(server), xmppUser.username, xmppUser.password)).toBe(true);
    });

    test.fails("keeps the user of a failing test for the bulk removal", async ({ xmppUser }) => {
      seen.push(xmppUser);
      throw new Error("this test fails on purpose");
    });

    test("freshXmppUser: registered for one test", async ({ freshXmppUser }) => {
      fresh.push(freshXmppUser);
      expect(await canLogIn(connect(server), freshXmppUser.username, freshXmppUser.password)).toBe(true);
    });

    it("gave distinct users; the fresh one is removed right after its test, the others are still there", async () => {
      expect(seen).toHaveLength(2);
      expect(seen[0]?.username).not.toBe(seen[1]?.username);
      for (const user of fresh) expect(await canLogIn(connect(server), user.username, user.password)).toBe(false);
      for (const user of seen) expect(await canLogIn(connect(server), user.username, user.password)).toBe(true);
    });
  });
});
