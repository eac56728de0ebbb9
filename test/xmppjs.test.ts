// @reguser/xmppjs with the real @xmpp/client 0.14 against real servers, over TCP and over WebSocket.
import { ConflictError, NotAuthorizedError, StanzaError, StreamError } from "@reguser/errors";
import { streamDomain } from "@reguser/stream";
import { changePassword, iqAuth, registerOnStream, registerThenLogin, removeAccount, saslLogin } from "@reguser/xmppjs";
import { type Client, client } from "@xmpp/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { describeTarget } from "./support/describe-target.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { ejabberd, jabberd2, prosody } from "./support/real-targets.js";
import { overWebSocket, type RunningTarget, type Target } from "./support/target.js";

// xmpp.js's WebSocket transport takes the global WebSocket, which Node 20 has only behind a flag: users of Node 20
// install `ws` and set it, as here.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

interface Expect {
  /** The iq:auth method `auto` picks there. */
  iqAuthMethod: "plain" | "digest";
  /** Registration and SASL on one stream work (jabberd2 never answers the bind: docs/traps.md#trap-3). */
  sameStream: boolean;
  /** Offers only PLAIN unencrypted, which xmpp.js's default refuses: log in with `saslLogin` (jabberd2). */
  plainOnly: boolean;
}

interface Account {
  username: string;
  password: string;
}

function xmppjsSuite(target: Target, expected: Expect) {
  let server: RunningTarget;
  let service: string;
  let domain: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await target.start();
    const o = server.connect();
    // Over WebSocket the client's service is the endpoint's URL; registerThenLogin opens its own stream there.
    service = o.url === undefined ? `xmpp://${o.host}:${o.port}` : String(o.url);
    domain = streamDomain(o);
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const xmpp of clients.splice(0)) {
      xmpp.reconnect.stop();
      if (xmpp.status !== "offline") await xmpp.stop().catch(() => {});
    }
  });

  function make(options: Parameters<typeof client>[0] = {}): Client {
    const xmpp = client({ service, domain, resource: "test", timeout: 20_000, ...options });
    xmpp.on("error", () => {}); // start() rejects with the same error
    clients.push(xmpp);
    return xmpp;
  }

  /** Client options that log in as `account` there. */
  function as(account: Account): Parameters<typeof client>[0] {
    return expected.plainOnly ? { username: account.username, credentials: saslLogin(account) } : { ...account };
  }

  /**
   * registerThenLogin, past jabberd2's refusal of a stream opened just after another closed (trap 4), which a busy
   * machine can see only after the registration went out: then the registration is sent again only if the account
   * does not exist yet (a second one would be refused as taken, and fail the test).
   */
  async function registered(xmpp: Client, account: Account): ReturnType<typeof registerThenLogin> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await registerThenLogin(xmpp, { ...account });
      } catch (err) {
        if (attempt >= 3 || !(err instanceof StreamError && err.condition === "internal-server-error")) throw err;
        await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
        if (await canLogIn(account.username, account.password)) return xmpp.start();
      }
    }
  }

  async function canLogIn(username: string, password: string): Promise<boolean> {
    const xmpp = make(as({ username, password }));
    try {
      await xmpp.start();
      return true;
    } catch (err) {
      if ((err as Error).name === "SASLError" && (err as { condition?: string }).condition === "not-authorized") {
        return false;
      }
      throw err;
    } finally {
      xmpp.reconnect.stop();
      await xmpp.stop().catch(() => {});
    }
  }

  it("registers on its own stream, then logs in with SASL and goes online with the right JID", async () => {
    const account = { username: uniqueName("xj"), password: strongPassword() };
    const xmpp = make(as(account));
    const jid = await registered(xmpp, account);
    expect(xmpp.status).toBe("online");
    expect(jid.toString()).toBe(`${account.username}@${domain}/test`);
    expect(xmpp.jid?.toString()).toBe(`${account.username}@${domain}/test`);
  });

  it("rejects a duplicate registration with ConflictError and never starts the client", async () => {
    const account = { username: uniqueName("xj"), password: strongPassword() };
    await registered(make(as(account)), account);
    const second = make(as(account));
    const online: unknown[] = [];
    second.on("online", (jid) => online.push(jid));
    const err = await registerThenLogin(second, { ...account, password: strongPassword() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(String((err as Error).message)).not.toContain(account.password);
    expect(second.status).toBe("offline");
    expect(online).toEqual([]);
  });

  if (expected.sameStream) {
    it("registers on the xmpp.js stream before SASL (credentials callback)", async () => {
      const account = { username: uniqueName("xs"), password: strongPassword() };
      const xmpp = make({ credentials: registerOnStream(account) });
      const jid = await xmpp.start();
      expect(jid.toString()).toBe(`${account.username}@${domain}/test`);
      await xmpp.stop();
      expect(await canLogIn(account.username, account.password)).toBe(true);
    });
  } else {
    it("shows trap 3: after registering on the same stream the bind is never answered", async () => {
      const account = { username: uniqueName("xs"), password: strongPassword() };
      // A stream opened right after another closed is sometimes refused (trap 4): xmpp.js does not retry that.
      let outcome = "";
      for (let attempt = 1; attempt <= 3; attempt++) {
        const xmpp = make({ credentials: registerOnStream(account) });
        const waited = new Promise((resolve) => setTimeout(() => resolve("no answer"), 3000));
        const started = xmpp.start().then(
          () => "online",
          (e: unknown) => `failed: ${String(e)}`,
        );
        outcome = String(await Promise.race([started, waited]));
        await xmpp.stop().catch(() => undefined);
        if (!outcome.includes("internal-server-error")) break;
        await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
      }
      expect(outcome).toBe("no answer");
      // The account was created all the same: registerThenLogin's fresh stream is the way on this server.
      expect(await canLogIn(account.username, account.password)).toBe(true);
    });
  }

  it("rejects a duplicate registration on the xmpp.js stream with ConflictError, not online", async () => {
    const account = { username: uniqueName("xs"), password: strongPassword() };
    await registered(make(as(account)), account);
    const xmpp = make({ credentials: registerOnStream({ ...account, password: strongPassword() }) });
    const err = await xmpp.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(xmpp.status).not.toBe("online");
    expect(xmpp.jid).toBeNull();
  });

  it("changes the password of a connected client; a new client logs in with the new one only", async () => {
    const account = { username: uniqueName("xp"), password: strongPassword() };
    const xmpp = make(as(account));
    await registered(xmpp, account);
    const password = strongPassword();
    await changePassword(xmpp, { password, oldPassword: account.password });
    expect(await canLogIn(account.username, password)).toBe(true);
    expect(await canLogIn(account.username, account.password)).toBe(false);
  });

  it("removes the account of a connected client, which goes offline; logging in then fails", async () => {
    const account = { username: uniqueName("xr"), password: strongPassword() };
    const xmpp = make(as(account));
    await registered(xmpp, account);
    await removeAccount(xmpp);
    expect(xmpp.status).toBe("offline");
    expect(await canLogIn(account.username, account.password)).toBe(false);
  });

  it(`logs in with jabber:iq:auth (${expected.iqAuthMethod}) instead of SASL and goes online`, async () => {
    const account = { username: uniqueName("xa"), password: strongPassword() };
    await registered(make(as(account)), account);
    const xmpp = make();
    const plugin = iqAuth(xmpp, { ...account, resource: "legacy" }, { when: "prefer" });
    const online = new Promise((resolve) => xmpp.once("online", resolve));
    const jid = await xmpp.start();
    expect(jid.toString()).toBe(`${account.username}@${domain}/legacy`);
    expect(String(await online)).toBe(jid.toString());
    expect(plugin.method).toBe(expected.iqAuthMethod);
    // The session works: an IQ to the server gets its answer.
    await changePassword(xmpp, { password: strongPassword(), oldPassword: account.password });
  });

  it("rejects a wrong jabber:iq:auth password with NotAuthorizedError and no secret in it", async () => {
    const account = { username: uniqueName("xa"), password: strongPassword() };
    await registered(make(as(account)), account);
    const xmpp = make();
    const wrong = strongPassword();
    iqAuth(xmpp, { username: account.username, password: wrong }, { when: "prefer" });
    const err = await xmpp.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAuthorizedError);
    expect(err).toBeInstanceOf(StanzaError);
    expect(JSON.stringify((err as StanzaError).element?.toString() ?? "")).not.toContain(wrong);
    expect(xmpp.status).not.toBe("online");
  });
}

const onProsody: Expect = { iqAuthMethod: "plain", sameStream: true, plainOnly: false };
const onEjabberd: Expect = { iqAuthMethod: "digest", sameStream: true, plainOnly: false };
describeTarget(prosody, (t) => xmppjsSuite(t, onProsody));
describeTarget(ejabberd, (t) => xmppjsSuite(t, onEjabberd));
describe("over WebSocket (an xmpp.js client with a ws:// service)", () => {
  describeTarget(overWebSocket(prosody), (t) => xmppjsSuite(t, onProsody));
  describeTarget(overWebSocket(ejabberd), (t) => xmppjsSuite(t, onEjabberd));
});
describeTarget(jabberd2, (t) => xmppjsSuite(t, { iqAuthMethod: "digest", sameStream: false, plainOnly: true }));
