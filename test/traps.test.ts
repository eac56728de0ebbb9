// The traps of docs/traps.md that need a server set up to show them (the others run inside the core and bulk suites).
import {
  authenticate,
  authMethods,
  changePassword,
  NotAcceptableError,
  NotAllowedError,
  NotAuthorizedError,
  openStream,
  register,
  registerMany,
  TimeoutError,
} from "reguser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { describeTarget } from "./support/describe-target.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { ejabberd, jabberd2, prosody } from "./support/real-targets.js";

const connectTo = (s: RunningServer, timeout = 20_000) => ({ host: s.host, port: s.port, domain: s.domain, timeout });

describeTarget(ejabberd, () => {
  describe("trap 5: ejabberd storing SCRAM hashes refuses every iq:auth login", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer("ejabberd", { hashedPasswords: true });
    });
    afterAll(() => server?.stop());

    it("raises NotAuthorizedError that names hashed storage as a possible cause", async () => {
      const stream = await openStream(connectTo(server));
      const account = { username: uniqueName(), password: strongPassword() };
      await register(stream, account);
      const err = await authenticate(stream, { ...account, resource: "r", method: "plain" }).catch((e) => e);
      expect(err).toBeInstanceOf(NotAuthorizedError);
      expect(err.message).toMatch(/stores passwords hashed/);
      expect(err.message).not.toContain(account.password);
      await stream.close();
    });
  });
});

describeTarget(ejabberd, () => {
  describe("trap 9: ejabberd refuses a password with a character unassigned in Unicode 3.2", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer("ejabberd");
    });
    afterAll(() => server?.stop());

    it("406 on registration and 405 on a password change, each with a hint; the same password in Latin-1 works", async () => {
      const stream = await openStream(connectTo(server));
      // U+1F511 (an emoji) and U+0221 were assigned after Unicode 3.2; SASLprep itself lets them through.
      const emoji = { username: uniqueName(), password: `${strongPassword()}-\u{1F511}` };
      const refused = await register(stream, emoji).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(NotAcceptableError);
      expect((refused as NotAcceptableError).hint).toMatch(/Unicode 3\.2/);
      expect(String(refused)).not.toContain(emoji.password);

      const latin = { username: uniqueName(), password: `${strongPassword()}-Grüße` };
      await register(stream, latin);
      await authenticate(stream, { ...latin, resource: "r", method: "plain" });
      const change = await changePassword(stream, { password: `${latin.password}-\u0221` }).catch((e: unknown) => e);
      expect(change).toBeInstanceOf(NotAllowedError);
      expect((change as NotAllowedError).hint).toMatch(/Unicode 3\.2/);
      await stream.close();
      // The old password still logs in: nothing changed.
      const again = await openStream(connectTo(server));
      await authenticate(again, { ...latin, resource: "s", method: "plain" });
      await again.close();
    });
  });
});

describeTarget(prosody, () => {
  describe("trap 6: Prosody with internal_plain never answers iq:auth for an unknown user", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer("prosody", { fast: true });
    });
    afterAll(() => server?.stop());

    it("times out with a typed error, and the stream stays usable", async () => {
      const stream = await openStream(connectTo(server));
      const ghost = {
        username: uniqueName("ghost"),
        password: strongPassword(),
        resource: "r",
        method: "plain" as const,
      };
      const err = await authenticate(stream, ghost, { timeout: 400 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect(err).toMatchObject({ timeout: 400 });
      expect(stream.pendingRequests).toBe(0);
      expect((await authMethods(stream, ghost.username)).plain).toBe(true);
      await stream.close();
    });
  });
});

describeTarget(jabberd2, () => {
  describe("trap 4: jabberd2 refuses some streams opened right after a session closed", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer("jabberd2");
    });
    afterAll(() => server?.stop());

    it("logs in on an immediately reopened stream every time (three chains at once)", async () => {
      const accounts = Array.from({ length: 24 }, () => ({ username: uniqueName(), password: strongPassword() }));
      const setup = await openStream(connectTo(server));
      expect((await registerMany(setup, accounts, { concurrency: 1 })).ok).toBe(24);
      await setup.close();
      let reopens = 0;
      // Each login follows the close of another session at once: the moment jabberd2 refuses streams.
      const chain = async (mine: typeof accounts) => {
        for (const account of mine) {
          const first = await openStream(connectTo(server));
          await authenticate(first, { ...account, resource: "a" });
          await first.close();
          const next = await openStream(connectTo(server));
          await authenticate(next, { ...account, resource: "b" });
          reopens += first.reopens + next.reopens;
          await next.close();
        }
      };
      await Promise.all([chain(accounts.slice(0, 8)), chain(accounts.slice(8, 16)), chain(accounts.slice(16))]);
      console.info(`trap 4: ${reopens} stream(s) reopened in place over 48 quick logins`);
    });
  });
});
