// removeMany({ admin }): batches through removeUsers, or removeUser a bounded number at a time, against the embedded
// server's account store standing in for an admin backend (test/bulk-removal.test.ts runs it on Prosody and ejabberd).
import { InvalidOptionError, ItemNotFoundError, NotAuthorizedError, ProtocolError, StanzaError } from "@reguser/errors";
import type { BatchRemoval, Provisioner } from "@reguser/register";
import type { EmbeddedServer } from "@reguser/server";
import { embeddedStreams } from "@reguser/test-kit";
import { describe, expect, it } from "vitest";
import { type BulkProgress, removeMany } from "../src/index.js";

const embedded = embeddedStreams();

/** The test's server with `n` accounts, and an admin path over its store that records every call. */
async function start(n: number, refuse?: (username: string) => Error | undefined) {
  const server = (await embedded.start({ registration: true })) as EmbeddedServer;
  const names = Array.from({ length: n }, (_, i) => `u${i}`);
  for (const username of names) server.users.add({ username, password: `password-${username}` });
  const calls: string[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const removeOne = (username: string): Error | undefined =>
    refuse?.(username) ?? (server.users.delete(username) ? undefined : new ItemNotFoundError());
  const removeUser = async (username: string): Promise<void> => {
    calls.push([username]);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight -= 1;
    const error = removeOne(username);
    if (error) throw error;
  };
  const removeUsers = async (usernames: readonly string[]): Promise<BatchRemoval> => {
    calls.push([...usernames]);
    await new Promise((resolve) => setImmediate(resolve));
    const result: BatchRemoval = { removed: [], failed: [] };
    for (const username of usernames) {
      const error = removeOne(username);
      if (error) result.failed.push({ username, error });
      else result.removed.push(username);
    }
    return result;
  };
  const target = { host: server.host, port: server.port, domain: server.domain };
  return { server, names, calls, target, removeUser, removeUsers, maxInFlight: () => maxInFlight };
}

describe("removeMany({ admin }) with removeUsers", () => {
  it("removes in batches of adminBatchSize, without passwords, progress as each batch completes", async () => {
    const t = await start(25);
    const progress: BulkProgress[] = [];
    const accounts = t.names.map((username, i) => (i % 2 ? username : { username }));
    const report = await removeMany(t.target, accounts, {
      admin: { removeUser: t.removeUser, removeUsers: t.removeUsers },
      adminBatchSize: 10,
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(t.calls.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(report.ok).toBe(25);
    expect(report.outcomes.every((o) => o.ok && o.via === "admin")).toBe(true);
    expect(t.server.users.size).toBe(0);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(progress.every((p) => p.inFlight === 0)).toBe(true);
  });

  it("reports each failure of a batch on its own, and an account without a username unsent", async () => {
    const t = await start(3);
    const report = await removeMany(t.target, ["u0", "ghost", { username: "" }, "u1", "u2"], {
      admin: { removeUser: t.removeUser, removeUsers: t.removeUsers },
    });
    expect(t.calls).toEqual([["u0", "ghost", "u1", "u2"]]);
    expect(report.ok).toBe(3);
    expect(report.byError).toEqual({ ItemNotFoundError: 1, InvalidOptionError: 1 });
    expect(report.adminError).toBeUndefined();
  });

  it("ends the run at a batch that fails as a whole: its accounts fail, the rest are not reached", async () => {
    const t = await start(30);
    let batches = 0;
    const refused = new StanzaError({ condition: "bad-request", text: "one JID at a time" });
    const removeUsers = async (usernames: readonly string[]) => {
      batches += 1;
      if (batches === 2) throw refused;
      return t.removeUsers(usernames);
    };
    const report = await removeMany(t.target, t.names, {
      admin: { removeUser: t.removeUser, removeUsers },
      adminBatchSize: 10,
    });
    expect(report.ok).toBe(10);
    expect(report.failed).toBe(10);
    expect(report.adminError).toBe(refused);
    expect(report.outcomes).toHaveLength(20);
    expect(t.server.users.size).toBe(20);
  });

  it("stops after a batch whose failures no later account can avoid (a refused credential)", async () => {
    const t = await start(20, () => new NotAuthorizedError());
    const report = await removeMany(t.target, t.names, {
      admin: { removeUser: t.removeUser, removeUsers: t.removeUsers },
      adminBatchSize: 5,
    });
    expect(t.calls).toHaveLength(1);
    expect(report.adminError).toBeInstanceOf(NotAuthorizedError);
    expect(report.outcomes).toHaveLength(5);
  });

  it("fails a name the provisioner left out of its answer, rather than count it removed", async () => {
    const t = await start(2);
    const removeUsers = async (usernames: readonly string[]) => ({ removed: usernames.slice(1), failed: [] });
    const report = await removeMany(t.target, t.names, { admin: { removeUser: t.removeUser, removeUsers } });
    expect(report.outcomes.find((o) => o.username === "u0")).toMatchObject({
      ok: false,
      error: expect.any(ProtocolError),
    });
  });

  it("stops pulling batches once the signal fires", async () => {
    const t = await start(30);
    const controller = new AbortController();
    const report = await removeMany(t.target, t.names, {
      admin: { removeUser: t.removeUser, removeUsers: t.removeUsers },
      adminBatchSize: 10,
      signal: controller.signal,
      onProgress: (p) => p.done === 10 && controller.abort(),
    });
    expect(report.aborted).toBe(true);
    expect(report.ok).toBe(10);
  });

  it("refuses an adminBatchSize that is not a whole number ≥ 1", async () => {
    const t = await start(1);
    for (const adminBatchSize of [0, 1.5, Number.NaN]) {
      await expect(removeMany(t.target, t.names, { admin: t, adminBatchSize })).rejects.toBeInstanceOf(
        InvalidOptionError,
      );
    }
  });
});

describe("removeMany({ admin }) with removeUser only", () => {
  it("sends the first alone, then up to concurrency at once", async () => {
    const t = await start(20);
    const admin: Pick<Provisioner, "removeUser"> = { removeUser: t.removeUser };
    const report = await removeMany(t.target, t.names, { admin, concurrency: 4 });
    expect(report.ok).toBe(20);
    expect(t.maxInFlight()).toBe(4);
    expect(t.server.users.size).toBe(0);
  });

  it("stops at a refused credential after one call", async () => {
    const t = await start(6, () => new NotAuthorizedError());
    const report = await removeMany(t.target, t.names, { admin: { removeUser: t.removeUser } });
    expect(t.calls).toHaveLength(1);
    expect(report.adminError).toBeInstanceOf(NotAuthorizedError);
  });
});

describe("removeMany without admin", () => {
  it("still logs in as each account and removes it in-band", async () => {
    const t = await start(3);
    const accounts = t.names.map((username) => ({ username, password: `password-${username}` }));
    const report = await removeMany({ ...t.target, timeout: 20_000 }, accounts);
    expect(report.ok).toBe(3);
    expect(report.outcomes.every((o) => o.via === undefined)).toBe(true);
    expect(t.calls).toHaveLength(0);
    expect(t.server.users.size).toBe(0);
  });
});
