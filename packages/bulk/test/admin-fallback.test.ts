// In-band, else the admin path: createAccount, registerMany({ admin }) and provisionMany against the embedded server
// with registration switched off, its own account store standing in for an admin backend.
import { ConflictError, ForbiddenError, InvalidOptionError, NotAuthorizedError } from "@reguser/errors";
import { isRegistrationClosed, type NewAccount, type Provisioner } from "@reguser/register";
import type { EmbeddedServer } from "@reguser/server";
import { embeddedStreams } from "@reguser/test-kit";
import { describe, expect, it } from "vitest";
import { createAccount, provisionMany, registerMany } from "../src/index.js";

const embedded = embeddedStreams();

/** The test's server, registration on or off: where to connect to it. */
async function start(registration: boolean) {
  const { host, port, domain } = await embedded.start({ registration });
  return { host, port, domain, timeout: 20_000 };
}

/** An admin path over the server's store: counts calls and how many were in flight at once. */
function storeAdmin(target: EmbeddedServer, refuse?: (account: NewAccount) => Error | undefined) {
  const admin = {
    calls: 0,
    inFlight: 0,
    maxInFlight: 0,
    async createUser(account: NewAccount): Promise<void> {
      admin.calls += 1;
      admin.inFlight += 1;
      admin.maxInFlight = Math.max(admin.maxInFlight, admin.inFlight);
      try {
        await new Promise((resolve) => setImmediate(resolve));
        const refusal = refuse?.(account);
        if (refusal) throw refusal;
        if (target.users.has(account.username)) throw new ConflictError();
        target.users.add(account);
      } finally {
        admin.inFlight -= 1;
      }
    },
  } satisfies Pick<Provisioner, "createUser"> & Record<string, unknown>;
  return admin;
}

const accounts = (n: number, prefix = "u") =>
  Array.from({ length: n }, (_, i) => ({ username: `${prefix}${i}`, password: `password-${prefix}-${i}` }));

describe("createAccount", () => {
  it("registers in-band when the server allows it, without touching the admin path", async () => {
    const target = await start(true);
    const admin = storeAdmin(embedded.server as EmbeddedServer);
    await expect(createAccount(target, { username: "ada", password: "pw-ada-1" }, { admin })).resolves.toEqual({
      via: "in-band",
    });
    expect(embedded.server?.users.has("ada")).toBe(true);
    expect(admin.calls).toBe(0);
  });

  it("goes through the admin path when registration is off, with the server's refusal", async () => {
    const target = await start(false);
    const admin = storeAdmin(embedded.server as EmbeddedServer);
    const told: Array<Error | undefined> = [];
    const made = await createAccount(
      target,
      { username: "ada", password: "pw-ada-1" },
      {
        admin,
        onAdmin: (refusal) => told.push(refusal),
      },
    );
    expect(made.via).toBe("admin");
    const refusal = made.via === "admin" ? made.refusal : undefined;
    expect(isRegistrationClosed(refusal)).toBe(true);
    expect(told).toEqual([refusal]);
    expect(embedded.server?.users.has("ada")).toBe(true);
  });

  it("without an admin path, the refusal is the failure", async () => {
    const target = await start(false);
    const err = await createAccount(target, { username: "ada", password: "pw-ada-1" }).catch((e) => e);
    expect(isRegistrationClosed(err)).toBe(true);
    expect(embedded.server?.users.has("ada")).toBe(false);
  });

  it("a refusal of this account (a taken name) is not sent to the admin path", async () => {
    const target = await start(true);
    embedded.server?.users.add({ username: "ada", password: "pw-ada-0" });
    const admin = storeAdmin(embedded.server as EmbeddedServer);
    await expect(createAccount(target, { username: "ada", password: "pw-ada-1" }, { admin })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(admin.calls).toBe(0);
  });

  it("inBand: false goes straight to the admin path, and needs one", async () => {
    const target = await start(true);
    const admin = storeAdmin(embedded.server as EmbeddedServer);
    await expect(
      createAccount(target, { username: "ada", password: "pw-ada-1" }, { admin, inBand: false }),
    ).resolves.toEqual({ via: "admin" });
    expect(admin.calls).toBe(1);
    await expect(createAccount(target, { username: "bob", password: "pw-bob-1" }, { inBand: false })).rejects.toThrow(
      /needs an admin provisioner/,
    );
  });
});

describe("registerMany with an admin path", () => {
  it("sends the refused accounts and the rest through it once the server refuses in-band", async () => {
    const stream = await embedded.open({ registration: false });
    const admin = storeAdmin(embedded.server as EmbeddedServer);
    const report = await registerMany(stream, accounts(40), { admin, adminConcurrency: 5, concurrency: 8 });
    expect(report).toMatchObject({ ok: 40, failed: 0 });
    expect(report.outcomes.every((o) => o.via === "admin")).toBe(true);
    expect(isRegistrationClosed(report.refused)).toBe(true);
    expect(admin.calls).toBe(40);
    expect(admin.maxInFlight).toBe(5);
    expect(embedded.server?.users.size).toBe(40);
  });

  it("without one, the refusals are failures like any other", async () => {
    const stream = await embedded.open({ registration: false });
    const report = await registerMany(stream, accounts(5));
    expect(report).toMatchObject({ ok: 0, failed: 5 });
    expect(report.refused).toBeUndefined();
  });

  it("keeps in-band where the server allows it", async () => {
    const stream = await embedded.open({ registration: true });
    const admin = storeAdmin(embedded.server as EmbeddedServer);
    const report = await registerMany(stream, accounts(10), { admin });
    expect(report).toMatchObject({ ok: 10, failed: 0 });
    expect(report.outcomes.some((o) => o.via === "admin")).toBe(false);
    expect(admin.calls).toBe(0);
  });
});

describe("provisionMany", () => {
  it("sends the first account alone: a refused credential costs one call", async () => {
    await start(true);
    const admin = storeAdmin(embedded.server as EmbeddedServer, () => new NotAuthorizedError());
    const report = await provisionMany(admin, accounts(30));
    expect(admin.calls).toBe(1);
    expect(report.adminError).toBeInstanceOf(NotAuthorizedError);
    expect(report.failed).toBe(1);
  });

  it("goes on past a failure of one account, up to its concurrency at once", async () => {
    await start(true);
    const admin = storeAdmin(embedded.server as EmbeddedServer, (a) =>
      a.username === "u3" ? new ForbiddenError() : undefined,
    );
    const report = await provisionMany(admin, accounts(20), {
      concurrency: 4,
      isFatal: (error) => error instanceof NotAuthorizedError,
    });
    expect(report).toMatchObject({ ok: 19, failed: 1, byError: { ForbiddenError: 1 } });
    expect(report.adminError).toBeUndefined();
    expect(admin.maxInFlight).toBe(4);
  });

  it("fails an account without a password on its own, unsent", async () => {
    await start(true);
    const admin = storeAdmin(embedded.server as EmbeddedServer);
    const report = await provisionMany(admin, [{ username: "x", password: "" }, ...accounts(2)]);
    expect(report).toMatchObject({ ok: 2, failed: 1 });
    expect(report.outcomes.find((o) => !o.ok && o.error instanceof InvalidOptionError)?.username).toBe("x");
    expect(admin.calls).toBe(2);
  });
});
