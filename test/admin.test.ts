// @reguser/admin's XEP-0133 backend on real Prosody and ejabberd with in-band registration switched off.
import { xep0133Provisioner } from "@reguser/admin";
import { createThrowawayUser } from "@reguser/testing";
import {
  ConflictError,
  createAccount,
  FeatureNotImplementedError,
  ItemNotFoundError,
  isRegistrationClosed,
  type OpenStreamOptions,
  openStream,
  registerMany,
  StanzaError,
} from "reguser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, type ServerKind, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { describeTarget } from "./support/describe-target.js";
import { ejabberd, prosody } from "./support/real-targets.js";
import type { Target } from "./support/target.js";

const admin = { username: "boss", password: "boss-password-1" };
const user = { username: "worker", password: "worker-password-1" };

function adminSuite(target: Target): void {
  let server: RunningServer;
  let connect: OpenStreamOptions;
  const provisioner = () => xep0133Provisioner({ connect, admin });
  let boss: ReturnType<typeof provisioner>;

  beforeAll(async () => {
    server = await startServer(target.name as ServerKind, { allowRegistration: false, admins: [admin], users: [user] });
    connect = { host: server.host, port: server.port, domain: server.domain };
    boss = provisioner();
  });
  afterAll(async () => {
    await boss?.close();
    await server?.stop();
  });

  it("creates a user although in-band registration is off, and refuses a duplicate", async () => {
    await boss.createUser({ username: "made1", password: "made-password-1", email: "made1@example.org" });
    expect(await canLogIn(connect, "made1", "made-password-1")).toBe(true);
    await expect(boss.createUser({ username: "made1", password: "other-password" })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("changes a password and deletes a user; deleting again is ItemNotFoundError", async () => {
    await boss.createUser({ username: "made2", password: "made-password-2" });
    await boss.changePassword({ username: "made2", password: "made-password-3" });
    expect(await canLogIn(connect, "made2", "made-password-3")).toBe(true);
    await boss.removeUser("made2");
    expect(await canLogIn(connect, "made2", "made-password-3")).toBe(false);
    await expect(boss.removeUser("made2")).rejects.toBeInstanceOf(ItemNotFoundError);
  });

  it("says disable-user is not implemented where the server lacks it", async () => {
    await expect(boss.disableUser("made1")).rejects.toBeInstanceOf(FeatureNotImplementedError);
  });

  it("refuses a non-admin with a typed error", async () => {
    const nobody = xep0133Provisioner({ connect, admin: user });
    try {
      const err = await nobody.createUser({ username: "sneaky", password: "sneaky-password" }).catch((e) => e);
      expect(err).toBeInstanceOf(StanzaError);
      expect(["feature-not-implemented", "forbidden"]).toContain(err.condition);
      expect(await canLogIn(connect, "sneaky", "sneaky-password")).toBe(false);
    } finally {
      await nobody.close();
    }
  });

  it("never shows a password in its errors", async () => {
    const err = await boss.createUser({ username: "made1", password: "leaky-password-9" }).catch((e) => e);
    expect(`${err.message} ${err.stack} ${err.element ?? ""} ${String(err.cause)}`).not.toContain("leaky-password-9");
  });

  it("backs the throwaway-user fixture when registration is off", async () => {
    const throwaway = await createThrowawayUser({ ...connect, admin: boss, prefix: "adm" });
    expect(await canLogIn(connect, throwaway.username, throwaway.password)).toBe(true);
    await throwaway.remove();
    expect(await canLogIn(connect, throwaway.username, throwaway.password)).toBe(false);
  });

  it("createAccount tries in-band, then goes through the admin path with the server's refusal", async () => {
    const refusals: unknown[] = [];
    const made = await createAccount(
      connect,
      { username: "made3", password: "made-password-3" },
      {
        admin: boss,
        onAdmin: (refusal) => refusals.push(refusal),
      },
    );
    expect(made.via).toBe("admin");
    expect(made.via === "admin" && isRegistrationClosed(made.refusal)).toBe(true);
    expect(refusals).toEqual([made.via === "admin" ? made.refusal : undefined]);
    expect(await canLogIn(connect, "made3", "made-password-3")).toBe(true);
    // Without an admin path the refusal itself is the failure.
    const refused = await createAccount(connect, { username: "made4", password: "made-password-4" }).catch((e) => e);
    expect(isRegistrationClosed(refused)).toBe(true);
    expect(await canLogIn(connect, "made4", "made-password-4")).toBe(false);
  });

  it("registerMany sends what the server refuses, and the rest, through the admin path", async () => {
    const accounts = Array.from({ length: 12 }, (_, i) => ({ username: `many${i}`, password: `many-password-${i}` }));
    const stream = await openStream(connect);
    try {
      const report = await registerMany(stream, accounts, { admin: boss, adminConcurrency: 4 });
      expect(report.failed).toBe(0);
      expect(report.ok).toBe(12);
      expect(report.outcomes.every((o) => o.via === "admin")).toBe(true);
      expect(isRegistrationClosed(report.refused)).toBe(true);
      expect(report.adminError).toBeUndefined();
    } finally {
      await stream.close();
    }
    expect(await canLogIn(connect, "many0", "many-password-0")).toBe(true);
    expect(await canLogIn(connect, "many11", "many-password-11")).toBe(true);
  });

  it("registerMany stops at an admin path that refuses its credential, after one attempt", async () => {
    const nobody = xep0133Provisioner({ connect, admin: user });
    const stream = await openStream(connect);
    try {
      const accounts = Array.from({ length: 6 }, (_, i) => ({ username: `nope${i}`, password: `nope-password-${i}` }));
      const report = await registerMany(stream, accounts, { admin: nobody });
      expect(report.adminError).toBeInstanceOf(StanzaError);
      // The first account through the admin path goes alone: one failure, and nothing sent after it.
      expect(report.outcomes.filter((o) => o.via === "admin")).toHaveLength(1);
      expect(await canLogIn(connect, "nope1", "nope-password-1")).toBe(false);
    } finally {
      await stream.close();
      await nobody.close();
    }
  });
}

describeTarget(prosody, adminSuite);
describeTarget(ejabberd, adminSuite);
