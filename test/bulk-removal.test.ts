// Bulk removal through XEP-0133 delete-user with many JIDs (xep0133Provisioner.removeUsers, removeMany({ admin })) on
// real Prosody and ejabberd: what each answers when some JIDs are unknown (docs/provisioning.md#35-many-jids).
import { BatchRefusedError, xep0133Provisioner } from "@reguser/admin";
import {
  type BulkProgress,
  ItemNotFoundError,
  JidMalformedError,
  type OpenStreamOptions,
  openStream,
  registerMany,
  removeMany,
} from "reguser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, type ServerKind, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { describeTarget } from "./support/describe-target.js";
import { ejabberd, prosody } from "./support/real-targets.js";
import type { Target } from "./support/target.js";

const admin = { username: "boss", password: "boss-password-1" };
const accounts = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ username: `${prefix}${i}`, password: `${prefix}-password-${i}` }));

function bulkRemovalSuite(target: Target): void {
  let server: RunningServer;
  let connect: OpenStreamOptions;
  let boss: ReturnType<typeof xep0133Provisioner>;

  beforeAll(async () => {
    server = await startServer(target.name as ServerKind, { admins: [admin] });
    connect = { host: server.host, port: server.port, domain: server.domain };
    boss = xep0133Provisioner({ connect, admin, batchSize: 100 });
  });
  afterAll(async () => {
    await boss?.close();
    await server?.stop();
  });

  /** Registered in-band, and proven to exist. */
  async function register(list: ReturnType<typeof accounts>): Promise<void> {
    const stream = await openStream(connect);
    try {
      const report = await registerMany(stream, list);
      expect(report.failed, JSON.stringify(report.byError)).toBe(0);
    } finally {
      await stream.close();
    }
  }

  /** How many of `list` can still log in, 16 at a time. */
  async function stillThere(list: ReturnType<typeof accounts>): Promise<number> {
    let count = 0;
    for (let i = 0; i < list.length; i += 16) {
      const logins = list.slice(i, i + 16).map((a) => canLogIn(connect, a.username, a.password));
      count += (await Promise.all(logins)).filter(Boolean).length;
    }
    return count;
  }

  it("removeMany({ admin }) removes 300 accounts in batches of 100, with progress per batch", async () => {
    const list = accounts(300, "bulk");
    await register(list);
    expect(await stillThere(list.slice(0, 3))).toBe(3);
    const progress: BulkProgress[] = [];
    const report = await removeMany(connect, list, {
      admin: boss,
      adminBatchSize: 100,
      onProgress: (p) => progress.push(p),
    });
    expect(report.failed, JSON.stringify(report.byError)).toBe(0);
    expect(report.ok).toBe(300);
    expect(report.adminError).toBeUndefined();
    expect(report.outcomes.every((o) => o.ok && o.via === "admin")).toBe(true);
    // Outcomes arrive a batch at a time: 100 in flight, then 100 done at once.
    expect(progress.filter((p) => p.done % 100 === 0).map((p) => [p.done, p.inFlight])).toEqual([
      [100, 0],
      [200, 0],
      [300, 0],
    ]);
    expect(await stillThere(list)).toBe(0);
  });

  it("removeUsers reports an unknown name as ItemNotFoundError and still removes the others", async () => {
    const list = accounts(4, "mixed");
    await register(list);
    const names = list.map((a) => a.username);
    const result = await boss.removeUsers([names[0], "ghost1", names[1], names[2], "ghost2", names[3]] as string[]);
    expect(result.removed).toEqual(names);
    expect(result.failed.map((f) => f.username)).toEqual(["ghost1", "ghost2"]);
    for (const { error } of result.failed) expect(error).toBeInstanceOf(ItemNotFoundError);
    expect(await stillThere(list)).toBe(0);
  });

  it("removeMany({ admin }) takes bare usernames, and counts unknown and malformed ones as failures", async () => {
    const list = accounts(5, "names");
    await register(list);
    const report = await removeMany(connect, [...list.map((a) => a.username), "nobody-here", "not valid"], {
      admin: boss,
    });
    expect(report.ok).toBe(5);
    expect(report.byError).toEqual({ ItemNotFoundError: 1, JidMalformedError: 1 });
    const failed = report.outcomes.filter((o) => !o.ok);
    expect(failed.map((o) => o.username).sort()).toEqual(["nobody-here", "not valid"]);
    expect(failed.find((o) => o.username === "not valid")).toMatchObject({ error: expect.any(JidMalformedError) });
    expect(await stillThere(list)).toBe(0);
  });

  it("removeMany({ admin }) with only removeUser goes one account at a time until one succeeded", async () => {
    const list = accounts(6, "single");
    await register(list);
    const only = { removeUser: (username: string) => boss.removeUser(username) };
    const report = await removeMany(connect, list, { admin: only, concurrency: 3 });
    expect(report.ok).toBe(6);
    expect(await stillThere(list)).toBe(0);
  });
}

describeTarget(prosody, (target) => {
  bulkRemovalSuite(target);

  it("prosody: the default maxSubmitBytes keeps a 500-name batch under the 10,000 bytes of an iq:auth session", async () => {
    const server = await startServer("prosody", { admins: [admin] });
    const connect = { host: server.host, port: server.port, domain: server.domain };
    const names = Array.from({ length: 500 }, (_, i) => `someone-with-a-longer-name-${i}`);
    const roomy = xep0133Provisioner({ connect, admin });
    const greedy = xep0133Provisioner({ connect, admin, maxSubmitBytes: 1_000_000 });
    try {
      // ~20 kB of JIDs: cut into three commands; every name is unknown, so Prosody says it could not delete it.
      const result = await roomy.removeUsers(names);
      expect(result.failed).toHaveLength(500);
      expect(result.failed.every((f) => f.error instanceof ItemNotFoundError)).toBe(true);
      // The same in one command is over Prosody's limit: it ends the stream, and the error says why.
      const err = await greedy.removeUsers(names).catch((e) => e);
      expect(err).toBeInstanceOf(BatchRefusedError);
      expect(err.message).toMatch(/XML stanza is too big.*lower maxSubmitBytes/);
      // The provisioner logs in again for the next call.
      await expect(greedy.removeUsers(["ghost"])).resolves.toMatchObject({ removed: [] });
    } finally {
      await roomy.close();
      await greedy.close();
      await server.stop();
    }
  });
});
describeTarget(ejabberd, bulkRemovalSuite);
