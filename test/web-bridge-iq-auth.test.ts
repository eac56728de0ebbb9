// The web session bridge with `xmpp.login: "iq-auth"` (XEP-0078) on the embedded server with SASL off, so that
// jabber:iq:auth is the only login it offers: login, the wrong-password 401, presence and chat from a second account
// through the server to the event stream and back; and a SASL bridge on that server, a 502 bounded by its timeout.
import { type EmbeddedServer, startServer } from "@reguser/server";
import { iqAuth, type XmppClient } from "@reguser/xmppjs";
import { client, xml } from "@xmpp/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type BridgeFixture, startBridge } from "./support/bridge-fixture.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { openSse } from "./support/sse-client.js";
import { SETTLE_MS, waitFor } from "./support/wait-for.js";

/** A bound on waits for what the server or bridge does on its own: generous, never a speed check. */

let server: EmbeddedServer;
let gw: BridgeFixture;
const page = { username: uniqueName("iqpage"), password: strongPassword() };
const peer = { username: uniqueName("iqpeer"), password: strongPassword() };
const secrets: string[] = [page.password, peer.password];

beforeAll(async () => {
  server = await startServer({ domain: "iq-auth.test", sasl: false, presenceToAll: true });
  server.users.add(page);
  server.users.add(peer);
  gw = await startBridge({
    service: `xmpp://127.0.0.1:${server.port}`,
    domain: server.domain,
    login: "iq-auth",
    timeout: 10_000,
  });
});
afterAll(async () => {
  const logged = JSON.stringify(gw?.events ?? []);
  for (const secret of secrets) expect(logged).not.toContain(secret);
  await gw?.stop();
  await server?.close();
});

it("logs in with jabber:iq:auth; a wrong password is the same 401 as an unknown user", async () => {
  const ok = await gw.login(page.username, page.password);
  expect(ok.status).toBe(200);
  expect(ok.json.token).toMatch(/^[\w-]{43}$/);
  secrets.push(ok.json.token as string);
  const wrong = await gw.login(page.username, "not-the-password");
  const ghost = await gw.login(uniqueName("ghost"), "not-the-password");
  expect(wrong).toEqual({
    status: 401,
    json: { status: "error", error: "unauthorized", message: "Wrong username or password" },
  });
  expect(ghost).toEqual(wrong);
  // A second login of the same user checks its password with an iq:auth login of its own, then shares the session.
  expect((await gw.login(page.username, page.password)).status).toBe(200);
  expect((await gw.login(page.username, "wrong-again")).status).toBe(401);
  expect(gw.bridge.sessions).toBe(1);
});

it("presence and chat from a second account reach the event stream; the answer reaches the peer", async () => {
  const { json } = await gw.login(page.username, page.password);
  const token = json.token as string;
  secrets.push(token);
  const sse = await openSse(`${gw.url}/sse?ticket=${await gw.ticket(token)}`);
  const xmpp = client({ service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain, resource: "peer" });
  xmpp.on("error", () => {});
  iqAuth(xmpp as unknown as XmppClient, { ...peer, resource: "peer" });
  const got: string[] = [];
  xmpp.on("stanza", (s) => {
    const body = s.is("message") ? s.getChildText("body") : null;
    if (body !== null) got.push(body);
  });
  try {
    expect(await sse.next("onConnect")).toEqual({ username: page.username, name: null, email: null });
    await xmpp.start();
    await xmpp.send(xml("presence"));
    expect(await sse.next("chatapi.presence")).toMatchObject({
      from: `${peer.username}@${server.domain}/peer`,
      type: "available",
    });
    const body = 'over iq:auth: "quoted" </script> 🚀';
    await xmpp.send(xml("message", { to: `${page.username}@${server.domain}`, type: "chat" }, xml("body", {}, body)));
    expect(await sse.next("chatapi.chat")).toMatchObject({
      type: "chat",
      from: `${peer.username}@${server.domain}/peer`,
      body,
    });
    const to = `${peer.username}@${server.domain}/peer`;
    expect((await gw.post("/message", { token, json: { to, body: "back over iq:auth" } })).status).toBe(202);
    await waitFor(() => got.length > 0);
    expect(got).toEqual(["back over iq:auth"]);
  } finally {
    sse.close();
    await xmpp.stop().catch(() => {});
  }
});

it("a SASL bridge on that server answers a 502 once its timeout passes, not a hang, and keeps serving", async () => {
  const sasl = await startBridge(
    { service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain, login: "sasl", timeout: 2_000 },
    {},
  );
  try {
    const answer = await fetch(`${sasl.url}/login/${page.username}`, {
      method: "POST",
      body: page.password,
      signal: AbortSignal.timeout(SETTLE_MS),
    });
    expect(answer.status).toBe(502);
    expect(await answer.json()).toEqual({
      status: "error",
      error: "xmpp_failed",
      message: "The XMPP server could not be reached or refused the session",
    });
    expect(sasl.bridge.sessions).toBe(0);
    expect(sasl.events).toEqual([{ type: "request_refused", status: 502, code: "xmpp_failed" }]);
    expect((await fetch(`${sasl.url}/health`, { signal: AbortSignal.timeout(SETTLE_MS) })).status).toBe(200);
    expect(JSON.stringify(sasl.events)).not.toContain(page.password);
  } finally {
    await sasl.stop();
  }
});
