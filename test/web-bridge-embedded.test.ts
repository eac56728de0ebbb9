// The web session bridge over the embedded server's routing: a chat from another account reaches every stream of
// the user, a message the user sends reaches its peer, and a reader that stops reading loses the oldest events
// (bounded memory) and is told how many once it reads again.
import http from "node:http";
import { type EmbeddedServer, startServer } from "@reguser/server";
import { client, xml } from "@xmpp/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type BridgeFixture, startBridge } from "./support/bridge-fixture.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { openSse } from "./support/sse-client.js";

let server: EmbeddedServer;
let gw: BridgeFixture;
const page = { username: uniqueName("page"), password: strongPassword() };
const peer = { username: uniqueName("peer"), password: strongPassword() };

beforeAll(async () => {
  server = await startServer({ domain: "routes.test", presenceToAll: true });
  server.users.add(page);
  server.users.add(peer);
  gw = await startBridge({ service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain }, { maxQueuedEvents: 8 });
});
afterAll(async () => {
  await gw?.stop();
  await server?.close();
});

it("a chat reaches both tabs; the user's answer reaches the peer; presence comes and goes", async () => {
  const { json } = await gw.login(page.username, page.password);
  const token = json.token as string;
  const tabs = await Promise.all([1, 2].map(async () => openSse(`${gw.url}/sse?ticket=${await gw.ticket(token)}`)));
  const xmpp = client({ service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain, resource: "peer", ...peer });
  xmpp.on("error", () => {});
  const got: string[] = [];
  xmpp.on(
    "stanza",
    (s) => s.is("message") && s.getChildText("body") !== null && got.push(s.getChildText("body") as string),
  );
  try {
    for (const tab of tabs) await tab.next("onConnect");
    await xmpp.start();
    await xmpp.send(xml("presence"));
    for (const tab of tabs)
      expect(await tab.next("chatapi.presence")).toMatchObject({
        from: `${peer.username}@${server.domain}/peer`,
        type: "available",
      });
    await xmpp.send(
      xml("message", { to: `${page.username}@${server.domain}`, type: "chat" }, xml("body", {}, 'a "quoted"\nline')),
    );
    for (const tab of tabs)
      expect(await tab.next("chatapi.chat")).toMatchObject({ type: "chat", body: 'a "quoted"\nline' });
    expect(
      (await gw.post("/message", { token, json: { to: `${peer.username}@${server.domain}`, body: "back to you" } }))
        .status,
    ).toBe(202);
    for (let i = 0; i < 200 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(got).toEqual(["back to you"]);
    await xmpp.stop();
    for (const tab of tabs) expect(await tab.next("chatapi.presence")).toMatchObject({ type: "unavailable" });
  } finally {
    for (const tab of tabs) tab.close();
    await xmpp.stop().catch(() => {});
  }
});

it("a stream that stops reading keeps at most maxQueuedEvents frames, then hears how many it lost", async () => {
  const { json } = await gw.login(page.username, page.password);
  const token = json.token as string;
  // A raw reader that can stop reading: fetch would keep pulling into its own buffer.
  const ticket = await gw.ticket(token);
  const response = await new Promise<http.IncomingMessage>((resolve) =>
    http.get(`${gw.url}/sse?ticket=${ticket}`, resolve),
  );
  response.setEncoding("utf8");
  let text = "";
  response.on("data", (chunk: string) => (text += chunk));
  // A second tab that keeps reading: once it has accounted for every headline, the bridge has handled them all.
  const watcher = await openSse(`${gw.url}/sse?ticket=${await gw.ticket(token)}`);
  await watcher.next("onConnect");
  for (let i = 0; i < 200 && !text.includes("onConnect"); i++) await new Promise((r) => setTimeout(r, 25));
  response.pause();
  // Far more than loopback's socket buffers hold (a few MiB each way): 400 headlines of 64 KiB, 25 MiB.
  const body = "x".repeat(64 * 1024);
  for (let i = 0; i < 400; i++) {
    server.sessions.send(
      `${page.username}@${server.domain}`,
      xml("message", { type: "headline" }, xml("body", {}, `${i} ${body}`)),
    );
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 10));
  }
  const tally = (events: string) => ({
    dropped: [...events.matchAll(/event: bridge\.dropped\ndata: \{"dropped":(\d+)\}/g)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    ),
    delivered: (events.match(/event: chatapi\.chat/g) ?? []).length,
  });
  const watched = () => tally(watcher.events.map((e) => `event: ${e.event}\ndata: ${e.data}\n`).join("\n"));
  const settled = (t: { dropped: number; delivered: number }) => t.dropped + t.delivered >= 400;
  for (let i = 0; i < 2400 && !settled(watched()); i++) await new Promise((r) => setTimeout(r, 25));
  expect(watched().dropped + watched().delivered).toBe(400);
  response.resume();
  for (let i = 0; i < 2400 && !settled(tally(text)); i++) await new Promise((r) => setTimeout(r, 25));
  // Every headline is accounted for: delivered, or counted in a bridge.dropped event.
  expect(tally(text).dropped).toBeGreaterThan(0);
  expect(tally(text).dropped + tally(text).delivered).toBe(400);
  response.destroy();
  watcher.close();
});
