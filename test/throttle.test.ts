// Registration throttles as servers ship them (docs/shipped.md#throttles): ejabberd's registration_timeout and
// Prosody's mod_register_limits, seen from their own loopback addresses so that each case meets a fresh limit.
import { xep0133Provisioner } from "@reguser/admin";
import { createThrowawayUser, createUserPool } from "@reguser/testing";
import {
  type BulkProgress,
  type OpenStreamOptions,
  openStream,
  PolicyViolationError,
  RegistrationThrottledError,
  ResourceConstraintError,
  register,
  registerMany,
} from "reguser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, type ServerKind, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { buildCli, reguser } from "./support/cli-binary.js";
import { connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { ejabberd, prosody } from "./support/real-targets.js";
import type { Target } from "./support/target.js";

/** Stock ejabberd's period: no test outlives it, so every refusal below is certain however slow the machine. */
const STOCK_SECONDS = 600;
/** The period the waiting case waits out. */
const SHORT_SECONDS = 3;
const admin = { username: "boss", password: "boss-password-1" };

/** What each server sends when it throttles (docs/shipped.md). */
const SENT = {
  ejabberd: { condition: "resource-constraint", cause: ResourceConstraintError, setting: /registration_timeout/ },
  prosody: { condition: "policy-violation", cause: PolicyViolationError, setting: /registration_throttle_max/ },
} as const;

const accounts = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ username: `${prefix}${i}`, password: `${prefix}-password-${i}` }));

/** A server throttling registrations every `seconds`, and fresh source addresses to meet it from. */
function throttledServer(kind: "ejabberd" | "prosody", seconds: number) {
  let server: RunningServer | undefined;
  // Each case connects from an address of its own (the whole 127/8 is loopback): a fresh per-IP limit.
  let nextAddress = 2;
  beforeAll(async () => {
    server = await startServer(kind as ServerKind, { registrationThrottle: seconds, admins: [admin] });
  });
  afterAll(async () => {
    await server?.stop();
  });
  return (): OpenStreamOptions => {
    if (!server) throw new Error("the server did not start");
    return connectTo(server, { localAddress: `127.0.0.${nextAddress++}` });
  };
}

function throttleSuite(target: Target): void {
  const kind = target.name as "ejabberd" | "prosody";
  describe(`waiting out a ${SHORT_SECONDS} s throttle`, () => {
    const from = throttledServer(kind, SHORT_SECONDS);
    it("onThrottle 'wait' backs off and gets every account through, saying it waits", async () => {
      const waits: number[] = [];
      const stream = await openStream(from());
      try {
        const report = await registerMany(stream, accounts("wait", 3), {
          onThrottle: "wait",
          throttleDelay: 1_000,
          maxThrottleWait: 120_000,
          onProgress: (p: BulkProgress) => p.waitingMs && waits.push(p.waitingMs),
        });
        expect(report).toMatchObject({ ok: 3, failed: 0 });
        expect(report.throttled).toBeInstanceOf(RegistrationThrottledError);
        expect(waits.length).toBeGreaterThan(0);
      } finally {
        await stream.close();
      }
      expect(await canLogIn(from(), "wait2", "wait-password-2")).toBe(true);
    });
  });
  describe(`a stock ${STOCK_SECONDS} s throttle`, () => {
    const from = throttledServer(kind, STOCK_SECONDS);
    beforeAll(() => buildCli());

    it("reguser bulk stops at the throttle, names the setting and says the rest were not attempted", async () => {
      const { host, port, domain, localAddress } = from();
      const run = await reguser([
        "bulk",
        `${host}:${port}`,
        ...[
          "--domain",
          domain ?? "localhost",
          "--local-address",
          localAddress ?? "",
          "--concurrency",
          "1",
          "--no-progress",
        ],
        ...["--pattern", "cli{1..5}", "--password-template", "t-{user}-pw1"],
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(SENT[kind].setting);
      expect(run.stdout).toMatch(
        /ok 1, failed 1 \(RegistrationThrottledError 1\) in [\d.]+ s, stopped at the server's registration throttle \(the rest not attempted\)/,
      );
      expect(run.stdout).not.toContain("t-cli2-pw1");
    });

    it("a second registration from one address is a RegistrationThrottledError naming the setting", async () => {
      const stream = await openStream(from());
      try {
        await register(stream, { username: "first", password: "first-password-1" });
        const err = await register(stream, { username: "second", password: "second-password-1" }).catch((e) => e);
        expect(err).toBeInstanceOf(RegistrationThrottledError);
        expect(err).toMatchObject({ condition: SENT[kind].condition, type: "wait", server: kind });
        expect(err.cause).toBeInstanceOf(SENT[kind].cause);
        expect(err.message).toMatch(SENT[kind].setting);
        expect(err.message).toMatch(/admin path/);
        expect(err.message).not.toContain("second-password-1");
        expect(JSON.stringify(err)).not.toContain("second-password-1");
      } finally {
        await stream.close();
      }
    });

    it("registerMany stops at the throttle by default: the rest are not attempted", async () => {
      const stream = await openStream(from());
      try {
        const report = await registerMany(stream, accounts("stop", 6), { concurrency: 1 });
        expect(report.ok).toBe(1);
        expect(report.failed).toBe(1);
        expect(report.byError).toEqual({ RegistrationThrottledError: 1 });
        expect(report.throttled).toBeInstanceOf(RegistrationThrottledError);
        expect(report.notAttempted).toBe(4);
      } finally {
        await stream.close();
      }
      expect(await canLogIn(from(), "stop0", "stop-password-0")).toBe(true);
      expect(await canLogIn(from(), "stop2", "stop-password-2")).toBe(false);
    });

    it("onThrottle 'wait' gives up once its budget is spent", async () => {
      const stream = await openStream(from());
      try {
        const report = await registerMany(stream, accounts("budget", 4), {
          onThrottle: "wait",
          throttleDelay: 200,
          maxThrottleWait: 300,
          concurrency: 1,
        });
        expect(report.ok).toBe(1);
        expect(report.byError).toEqual({ RegistrationThrottledError: 1 });
        expect(report.notAttempted).toBe(2);
      } finally {
        await stream.close();
      }
    });

    it("onThrottle 'admin' hands the throttled accounts and the rest to the admin path", async () => {
      const boss = xep0133Provisioner({ connect: from(), admin });
      const stream = await openStream(from());
      try {
        const report = await registerMany(stream, accounts("adm", 5), { onThrottle: "admin", admin: boss });
        expect(report).toMatchObject({ ok: 5, failed: 0 });
        expect(report.outcomes.filter((o) => o.via === "admin").length).toBeGreaterThanOrEqual(4);
        expect(report.refused).toBeInstanceOf(RegistrationThrottledError);
      } finally {
        await stream.close();
        await boss.close();
      }
      expect(await canLogIn(from(), "adm4", "adm-password-4")).toBe(true);
    });

    it("the throwaway-user fixture uses the admin path on a throttle, and fails with the setting without one", async () => {
      const connect = from();
      const boss = xep0133Provisioner({ connect: from(), admin });
      try {
        const first = await createThrowawayUser({ ...connect, admin: boss, prefix: "tw" });
        const second = await createThrowawayUser({ ...connect, admin: boss, prefix: "tw" });
        expect(await canLogIn(from(), second.username, second.password)).toBe(true);
        await Promise.all([first.remove(), second.remove()]);
        const err = await createThrowawayUser({ ...connect, prefix: "tw" }).catch((e) => e);
        expect(err).toBeInstanceOf(RegistrationThrottledError);
        expect(err.message).toMatch(SENT[kind].setting);
      } finally {
        await boss.close();
      }
    });

    it("the user pool goes through the admin path on a throttle, and removes each account its own way", async () => {
      const boss = xep0133Provisioner({ connect: from(), admin });
      try {
        const pool = await createUserPool({ ...from(), admin: boss, size: 4, prefix: "pool" });
        const users = [pool.take(), pool.take(), pool.take(), pool.take()];
        expect(await canLogIn(from(), users[3]?.username ?? "", users[3]?.password ?? "")).toBe(true);
        const removed = await pool.removeAll();
        expect(removed).toMatchObject({ ok: 4, failed: 0 });
        await expect(createUserPool({ ...from(), size: 3, prefix: "nopool" })).rejects.toThrow(SENT[kind].setting);
      } finally {
        await boss.close();
      }
    });
  });
}

describeTarget(ejabberd, throttleSuite);
describeTarget(prosody, throttleSuite);
