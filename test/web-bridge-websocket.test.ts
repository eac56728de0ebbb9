// The web bridge's XMPP sessions over WebSocket (RFC 7395) to the embedded server. @xmpp/client dials through the
// global WebSocket, which Node 20 lacks: without one the bridge refuses to start and says what to do.
import { startServer } from "@reguser/server";
import { createWebBridge } from "@reguser/web-bridge";
import { client, xml } from "@xmpp/client";
import { afterEach, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startBridge } from "./support/bridge-fixture.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { openSse } from "./support/sse-client.js";

const global = globalThis as { WebSocket?: unknown };
const before = global.WebSocket;
afterEach(() => {
  global.WebSocket = before;
});

it("without a global WebSocket, a ws:// service is a TypeError that names the fix", () => {
  global.WebSocket = undefined;
  expect(() => createWebBridge({ xmpp: { service: "ws://127.0.0.1:1/xmpp-websocket", domain: "localhost" } })).toThrow(
    /needs a global WebSocket.*import\('ws'\)/,
  );
});

it("with one, logs in over ws:// and streams a chat routed by the server", async () => {
  global.WebSocket = WebSocket;
  const server = await startServer({ domain: "ws.test", webSocketPort: 0 });
  const user = { username: uniqueName("ws"), password: strongPassword() };
  const peer = { username: uniqueName("wp"), password: strongPassword() };
  server.users.add(user);
  server.users.add(peer);
  const gw = await startBridge({ service: server.webSocketUrl as string, domain: server.domain });
  const xmpp = client({ service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain, resource: "p", ...peer });
  xmpp.on("error", () => {});
  try {
    const { json } = await gw.login(user.username, user.password);
    const sse = await openSse(`${gw.url}/sse?ticket=${await gw.ticket(json.token as string)}`);
    await sse.next("onConnect");
    await xmpp.start();
    await xmpp.send(
      xml("message", { to: `${user.username}@${server.domain}`, type: "chat" }, xml("body", {}, "over ws")),
    );
    expect(await sse.next("chatapi.chat")).toMatchObject({
      body: "over ws",
      from: `${peer.username}@${server.domain}/p`,
    });
    sse.close();
  } finally {
    await xmpp.stop().catch(() => {});
    await gw.stop();
    await server.close();
  }
});
