// Invites on a real Prosody 0.12 in invite-only mode (mod_invites, mod_invites_register, mod_invites_adhoc;
// docs/shipped.md#invites): tokens from prosodyctl and from the ad-hoc command, the refusals typed.
import { xep0133Provisioner } from "@reguser/admin";
import { createThrowawayUser } from "@reguser/testing";
import {
  InvalidOptionError,
  InviteInvalidError,
  InviteRequiredError,
  inquire,
  NotAcceptableError,
  type OpenStreamOptions,
  openStream,
  parseInviteUri,
  redeemInvite,
  register,
} from "reguser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prosodyInvite, type RunningServer, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { buildCli, reguser } from "./support/cli-binary.js";
import { connectOverWebSocket, connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { prosody } from "./support/real-targets.js";
import { overWebSocket } from "./support/target.js";

const admin = { username: "boss", password: "boss-password-1" };
const user = { username: "taken", password: "taken-password-1" };

// The same over TCP and over the server's WebSocket endpoint (RFC 7395); the CLI speaks TCP only.
for (const webSocket of [false, true]) {
  describeTarget(webSocket ? overWebSocket(prosody) : prosody, () => {
    let server: RunningServer;
    let connect: OpenStreamOptions;
    beforeAll(async () => {
      server = await startServer("prosody", { ...{ invites: true, admins: [admin], users: [user] }, webSocket });
      connect = webSocket ? connectOverWebSocket(server) : connectTo(server);
      buildCli();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("advertises invites, and refuses a plain registration with an InviteRequiredError", async () => {
      const stream = await openStream(connect);
      try {
        expect(stream.features.invites).toBe(true);
        const err = await register(stream, { username: "plain", password: "plain-password-1" }).catch((e) => e);
        expect(err).toBeInstanceOf(InviteRequiredError);
        expect(err.cause).toBeInstanceOf(NotAcceptableError);
        expect(err.text).toMatch(/through invitation only/);
        expect(err.message).toMatch(/pass one as `invite`/);
      } finally {
        await stream.close();
      }
    });

    it("registers with a prosodyctl invite, which is spent afterwards", async () => {
      const uri = await prosodyInvite(server);
      expect(parseInviteUri(uri)).toMatchObject({ domain: server.domain, action: "register", username: undefined });
      const stream = await openStream(connect);
      try {
        const inquiry = await inquire(stream);
        await register(stream, { username: "invited", password: "invited-password-1" }, { inquiry, invite: uri });
      } finally {
        await stream.close();
      }
      expect(await canLogIn(connect, "invited", "invited-password-1")).toBe(true);
      const again = await redeemInvite(uri, { ...connect, username: "again", password: "again-password-1" }).catch(
        (e) => e,
      );
      expect(again).toBeInstanceOf(InviteInvalidError);
      expect(again.condition).toBe("forbidden");
      expect(again.message).not.toContain(parseInviteUri(uri).token);
    });

    it("a made-up token is an InviteInvalidError", async () => {
      const uri = `xmpp:${server.domain}?register;preauth=not-a-real-token`;
      const err = await redeemInvite(uri, { ...connect, username: "nobody", password: "nobody-password-1" }).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(InviteInvalidError);
      expect(await canLogIn(connect, "nobody", "nobody-password-1")).toBe(false);
    });

    it("a password-reset invite fixes the name, refuses another before sending, and sets the new password", async () => {
      const uri = await prosodyInvite(server, { reset: user.username });
      expect(parseInviteUri(uri).username).toBe(user.username);
      const wrong = await redeemInvite(uri, { ...connect, username: "other", password: "other-password-1" }).catch(
        (e) => e,
      );
      expect(wrong).toBeInstanceOf(InvalidOptionError);
      const made = await redeemInvite(uri, { ...connect, password: "taken-password-2" });
      expect(made).toEqual({ username: user.username, jid: `${user.username}@${server.domain}` });
      expect(await canLogIn(connect, user.username, "taken-password-2")).toBe(true);
      expect(await canLogIn(connect, user.username, user.password)).toBe(false);
    });

    it("an admin makes invites with the XEP-0401 ad-hoc command; the throwaway fixture uses one", async () => {
      const boss = xep0133Provisioner({ connect, admin });
      try {
        const uri = await boss.createInvite?.();
        expect(uri).toMatch(/^xmpp:localhost\?register;preauth=/);
        await redeemInvite(uri ?? "", { ...connect, username: "adhoc", password: "adhoc-password-1" });
        expect(await canLogIn(connect, "adhoc", "adhoc-password-1")).toBe(true);
        // The fixture takes an invite (in-band, the way a user would) rather than the admin's add-user.
        const calls: string[] = [];
        const counted = {
          createUser: (account: { username: string; password: string }) => {
            calls.push("createUser");
            return boss.createUser(account);
          },
          removeUser: (username: string) => boss.removeUser(username),
          createInvite: () => {
            calls.push("createInvite");
            return boss.createInvite?.() ?? Promise.reject(new Error("no createInvite"));
          },
        };
        const throwaway = await createThrowawayUser({ ...connect, admin: counted, prefix: "inv" });
        expect(calls).toEqual(["createInvite"]);
        expect(await canLogIn(connect, throwaway.username, throwaway.password)).toBe(true);
        await throwaway.remove();
        expect(await canLogIn(connect, throwaway.username, throwaway.password)).toBe(false);
      } finally {
        await boss.close();
      }
    });

    if (!webSocket) {
      it("reguser --invite registers with the invite; without one, the refusal says how to get one", async () => {
        const uri = await prosodyInvite(server);
        const at = [`${server.host}:${server.port}`, "--domain", server.domain];
        const ok = await reguser(
          ["register", ...at, "username=cli", "--password-stdin", "--invite", uri],
          "cli-password-1\n",
        );
        expect(ok).toMatchObject({ code: 0, stdout: "[Attempt] (cli) Successful registration\n" });
        expect(await canLogIn(connect, "cli", "cli-password-1")).toBe(true);
        const refused = await reguser([...at, "username=cli2", "--password-stdin"], "cli2-password-1\n");
        expect(refused.code).toBe(1);
        expect(refused.stdout).toMatch(/through invitation only.*CLI: --invite/);
        const bad = await reguser([...at, "--invite", "http://example.com"], "");
        expect(bad.code).toBe(2);
      });
    }
  });
}
