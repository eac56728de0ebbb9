// createUserSupply against the embedded server: batches that grow, one stream for the supply's life, bulk removal
// that tells an account the test deleted from one whose password it changed, the admin path, and a lost stream.
import { type EmbeddedServer, MemoryStore, startServer } from "@reguser/server";
import { authenticate, changePassword, InvalidOptionError, openStream, removeAccount, type XmppStream } from "reguser";
import { afterEach, describe, expect, it } from "vitest";
import { AccountsLeftError, createUserSupply, RegistrationClosedError, type ThrowawayUser } from "../src/index.js";

const servers: EmbeddedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startServer>[0] = {}) {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

const connect = (server: EmbeddedServer) => ({
  host: server.host,
  port: server.port,
  domain: server.domain,
  timeout: 20_000,
});

/** Log in as the user on a stream of its own and run `step` there: what a test does behind the supply's back. */
async function asUser(server: EmbeddedServer, user: ThrowawayUser, step: (stream: XmppStream) => Promise<unknown>) {
  const stream = await openStream(connect(server));
  try {
    await authenticate(stream, { username: user.username, password: user.password, resource: "test" });
    await step(stream);
  } finally {
    await stream.close();
  }
}

describe("createUserSupply", () => {
  it("registers nothing until the first take(), then batches of 4, 8, 16… up to batchSize", async () => {
    const server = await start();
    const supply = createUserSupply({ ...connect(server), batchSize: 8, prefix: "sup" });
    expect(server.users.size).toBe(0);
    const first = await supply.take();
    expect(first.username).toMatch(/^sup[0-9a-f]{12}$/);
    expect(first.jid).toBe(`${first.username}@localhost`);
    expect(server.users.size).toBe(4);
    expect(supply.stock).toBe(3);
    for (let i = 0; i < 4; i++) await supply.take();
    expect(server.users.size).toBe(12); // 4, then 8
    for (let i = 0; i < 8; i++) await supply.take();
    expect(server.users.size).toBe(20); // and 8 again: batchSize is the largest
    expect(supply.outstanding).toBe(20);
    await supply.close();
    expect(server.users.size).toBe(0);
  });

  it("hands concurrent takers distinct users from one batch at a time", async () => {
    const server = await start();
    const supply = createUserSupply(connect(server));
    const users = await Promise.all(Array.from({ length: 10 }, () => supply.take()));
    expect(new Set(users.map((u) => u.username)).size).toBe(10);
    expect(server.users.size).toBe(12);
    for (const user of users) expect(server.users.has(user.username)).toBe(true);
    await supply.close();
    expect(server.users.size).toBe(0);
  });

  it("removes every account, handed out or not; those removed or deleted by the test are no failure", async () => {
    const server = await start();
    const supply = createUserSupply(connect(server));
    const [removed, deleted, kept] = [await supply.take(), await supply.take(), await supply.take()];
    await removed.remove();
    await removed.remove(); // twice is fine
    await asUser(server, deleted as ThrowawayUser, (s) => removeAccount(s));
    expect(server.users.size).toBe(2);
    expect(await supply.removeAll()).toEqual({ removed: 1 + 1, alreadyGone: 1 }); // kept and the one in stock
    expect(server.users.has(kept.username)).toBe(false);
    expect(server.users.size).toBe(0);
    await kept.remove(); // already removed by the supply: nothing to do
    // Still usable: a new batch, from 4 again.
    await supply.take();
    expect(server.users.size).toBe(4);
    await supply.close();
    expect(server.users.size).toBe(0);
  });

  it("waits for a batch under way, and removes it too", async () => {
    const server = await start();
    const supply = createUserSupply(connect(server));
    const taking = supply.take();
    const removal = supply.removeAll();
    const user = await taking;
    await removal;
    expect(server.users.has(user.username)).toBe(false);
    expect(server.users.size).toBe(0);
    await supply.close();
  });

  it("fails with AccountsLeftError naming an account whose password the test changed, and no password", async () => {
    const server = await start();
    const supply = createUserSupply(connect(server));
    const user = await supply.take();
    const newPassword = "changed-behind-the-supply-1";
    await asUser(server, user, (s) => changePassword(s, { username: user.username, password: newPassword }));
    const error = await supply.close().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(AccountsLeftError);
    const left = error as AccountsLeftError;
    expect(left.accounts.map((a) => a.username)).toEqual([user.username]);
    expect(left.accounts[0]?.reason).toMatch(/not-authorized.*still taken.*password is no longer/);
    expect(left.message).toContain(`1 throwaway account could not be removed from localhost`);
    expect(left.message).toContain(user.jid);
    const shown = `${left.message} ${JSON.stringify(left)} ${left.accounts.map((a) => a.reason).join(" ")}`;
    expect(shown).not.toContain(user.password);
    expect(shown).not.toContain(newPassword);
    // The other three of the batch went; that one is still there, reported once.
    expect(server.users.usernames()).toEqual([user.username]);
    await expect(supply.close()).resolves.toBeUndefined();
    await expect(supply.take()).rejects.toThrow(/closed/);
  });

  it("opens its stream again when the server dropped it", async () => {
    const store = new MemoryStore();
    const first = await startServer({ store });
    const supply = createUserSupply({ ...connect(first), batchSize: 4 });
    for (let i = 0; i < 4; i++) await supply.take();
    await first.close();
    const second = await start({ store, port: first.port });
    await supply.take(); // a new batch, on a new stream
    expect(second.users.size).toBe(8);
    await supply.close();
    expect(second.users.size).toBe(0);
  });

  it("says that registration is off, and creates and removes through `admin` when given", async () => {
    const server = await start({ registration: false });
    await expect(createUserSupply(connect(server)).take()).rejects.toBeInstanceOf(RegistrationClosedError);
    const removedByAdmin: string[] = [];
    const admin = {
      createUser: async (account: { username: string; password: string }) => server.users.add(account),
      removeUser: async (username: string) => {
        removedByAdmin.push(username);
        server.users.delete(username);
      },
    };
    const supply = createUserSupply({ ...connect(server), admin });
    const [a, b] = [await supply.take(), await supply.take()];
    expect(server.users.size).toBe(4);
    await a.remove();
    expect(removedByAdmin).toEqual([a.username]);
    expect(await supply.removeAll()).toEqual({ removed: 3, alreadyGone: 0 });
    expect(removedByAdmin).toContain(b.username);
    expect(server.users.size).toBe(0);
    await supply.close();
  });

  it("removes through `admin` an in-band account whose password changed", async () => {
    const server = await start();
    const admin = {
      createUser: async () => {
        throw new Error("not used: registration is open");
      },
      removeUser: async (username: string) => {
        server.users.delete(username);
      },
    };
    const supply = createUserSupply({ ...connect(server), admin });
    const user = await supply.take();
    await asUser(server, user, (s) => changePassword(s, { username: user.username, password: "another-one-2" }));
    expect(await supply.removeAll()).toEqual({ removed: 4, alreadyGone: 0 });
    expect(server.users.size).toBe(0);
    await supply.close();
  });

  it("checks batchSize and removeConcurrency", () => {
    expect(() => createUserSupply({ host: "127.0.0.1", batchSize: 0 })).toThrow(InvalidOptionError);
    expect(() => createUserSupply({ host: "127.0.0.1", removeConcurrency: 1.5 })).toThrow(/positive integer/);
  });
});
