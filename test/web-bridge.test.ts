// The web session bridge on the embedded server: REST login, tickets, the event stream, one XMPP session per user
// shared by its streams, logout and the grace period, and the limits.
import { type EmbeddedServer, startServer } from "@reguser/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BridgeFixture, startBridge } from "./support/bridge-fixture.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { openSse } from "./support/sse-client.js";

let server: EmbeddedServer;
let gw: BridgeFixture;
const account = { username: uniqueName("web"), password: strongPassword() };
const secrets: string[] = [account.password];

beforeAll(async () => {
  server = await startServer({ domain: "bridge.test" });
  server.users.add(account);
  gw = await startBridge({ service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain }, { graceMs: 60_000 });
});
afterAll(async () => {
  const logged = JSON.stringify(gw?.events ?? []);
  for (const secret of secrets) expect(logged).not.toContain(secret);
  await gw?.stop();
  await server?.close();
});

describe("login", () => {
  it("answers a token, and a 401 that says nothing about whether the user exists", async () => {
    const ok = await gw.login(account.username, account.password);
    expect(ok.status).toBe(200);
    expect(ok.json.token).toMatch(/^[\w-]{43}$/);
    secrets.push(ok.json.token as string);
    const wrong = await gw.login(account.username, "not-the-password");
    const ghost = await gw.login(uniqueName("ghost"), "not-the-password");
    expect(wrong).toEqual({
      status: 401,
      json: { status: "error", error: "unauthorized", message: "Wrong username or password" },
    });
    expect(ghost).toEqual(wrong);
  });

  it("refuses a username that is no JID localpart and an empty password", async () => {
    expect((await gw.login("a@b", "x")).status).toBe(400);
    expect((await gw.login(account.username, "")).status).toBe(400);
  });

  it("a second login of the same user needs the right password, and shares the one XMPP session", async () => {
    const first = await gw.login(account.username, account.password);
    const second = await gw.login(account.username, account.password);
    expect(second.status).toBe(200);
    expect(second.json.token).not.toBe(first.json.token);
    expect(gw.bridge.sessions).toBe(1);
    expect((await gw.login(account.username, "wrong-password-2")).status).toBe(401);
  });
});

describe("the event stream", () => {
  it("opens with a single-use ticket, never with the token, and starts with onConnect", async () => {
    const { json } = await gw.login(account.username, account.password);
    const token = json.token as string;
    const refused = await fetch(`${gw.url}/sse?token=${token}`);
    expect(refused.status).toBe(400);
    const ticket = await gw.ticket(token);
    const sse = await openSse(`${gw.url}/sse?ticket=${ticket}`);
    try {
      expect(sse.status).toBe(200);
      expect(sse.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(await sse.next("onConnect")).toEqual({ username: account.username, name: null, email: null });
      const again = await fetch(`${gw.url}/sse?ticket=${ticket}`);
      expect(again.status).toBe(401);
    } finally {
      sse.close();
    }
  });

  it("sends heartbeat comments so proxies keep the stream open", async () => {
    const beating = await startBridge(
      { service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain },
      { heartbeatMs: 100 },
    );
    try {
      const { json } = await beating.login(account.username, account.password);
      const sse = await openSse(`${beating.url}/sse?ticket=${await beating.ticket(json.token as string)}`);
      await sse.next("onConnect");
      for (let i = 0; i < 400 && !sse.comments.includes("heartbeat"); i++) await new Promise((r) => setTimeout(r, 25));
      expect(sse.comments).toContain("heartbeat");
      sse.close();
    } finally {
      await beating.stop();
    }
  });

  it("the seed's paths work too: /sparkweb/api/rest/login, /sparkweb/api/rest/ticket, /sparkweb/sse", async () => {
    const login = await fetch(`${gw.url}/sparkweb/api/rest/login/${account.username}`, {
      method: "POST",
      body: account.password,
    });
    const { token } = (await login.json()) as { token: string };
    const ticketed = await fetch(`${gw.url}/sparkweb/api/rest/ticket`, {
      method: "POST",
      headers: { authorization: token },
    });
    const { ticket } = (await ticketed.json()) as { ticket: string };
    const sse = await openSse(`${gw.url}/sparkweb/sse?ticket=${ticket}`);
    expect(await sse.next("onConnect")).toMatchObject({ username: account.username });
    sse.close();
  });

  it("logout of the last token ends the session and closes every stream", async () => {
    const user = { username: uniqueName("out"), password: strongPassword() };
    server.users.add(user);
    const { json } = await gw.login(user.username, user.password);
    const token = json.token as string;
    const [a, b] = await Promise.all([
      openSse(`${gw.url}/sse?ticket=${await gw.ticket(token)}`),
      openSse(`${gw.url}/sse?ticket=${await gw.ticket(token)}`),
    ]);
    await Promise.all([a.next("onConnect"), b.next("onConnect")]);
    expect((await gw.post("/logout", { token })).status).toBe(204);
    await Promise.all([a.ended, b.ended]);
    expect((await gw.post("/ticket", { token })).status).toBe(401);
    expect(gw.events).toContainEqual({ type: "session_ended", username: user.username, detail: "logout" });
  });

  it("refuses one stream over maxStreamsPerUser with a 429", async () => {
    const limited = await startBridge(
      { service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain },
      { maxStreamsPerUser: 1 },
    );
    try {
      const { json } = await limited.login(account.username, account.password);
      const first = await openSse(`${limited.url}/sse?ticket=${await limited.ticket(json.token as string)}`);
      await first.next("onConnect");
      const second = await fetch(`${limited.url}/sse?ticket=${await limited.ticket(json.token as string)}`);
      expect(second.status).toBe(429);
      first.close();
    } finally {
      await limited.stop();
    }
  });

  it("ends the XMPP session a grace period after its last stream closed, and its tokens with it", async () => {
    const short = await startBridge(
      { service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain },
      { graceMs: 300 },
    );
    try {
      const { json } = await short.login(account.username, account.password);
      const sse = await openSse(`${short.url}/sse?ticket=${await short.ticket(json.token as string)}`);
      await sse.next("onConnect");
      sse.close();
      for (let i = 0; i < 200 && short.bridge.sessions > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(short.bridge.sessions).toBe(0);
      expect((await short.post("/ticket", { token: json.token as string })).status).toBe(401);
      expect(short.events).toContainEqual({ type: "session_ended", username: account.username, detail: "idle" });
    } finally {
      await short.stop();
    }
  });
});

describe("POST /message", () => {
  it("checks the body: a JID, a body, a known type, no unknown field, no character XML cannot carry", async () => {
    const { json } = await gw.login(account.username, account.password);
    const token = json.token as string;
    for (const bad of [
      { to: "not a jid", body: "x" },
      { to: "a@b", body: "" },
      { to: "a@b", body: "x", type: "groupchat" },
      { to: "a@b", body: "x", cc: "c@d" },
      { to: "a@b", body: "bell \u0007" },
    ]) {
      expect((await gw.post("/message", { token, json: bad })).status).toBe(400);
    }
    expect((await gw.post("/message", { json: { to: "a@b", body: "x" } })).status).toBe(401);
  });
});
