// @reguser/stream's browser entry (the `browser` condition) in Node: the page's WebSocket API is stood in for by
// `ws`'s (the same WHATWG interface), so its transport and dialer run here against the embedded server, with the
// cases a page cannot stage; the page itself runs in Chromium in test/browser.test.ts (docs/websocket.md#in-a-web-page).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { authenticate } from "@reguser/auth";
import { ConflictError, ConnectionError, InvalidOptionError, ProtocolError } from "@reguser/errors";
import { changePassword, inquire, register, removeAccount } from "@reguser/register";
import { type EmbeddedServer, startServer } from "@reguser/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { openStream } from "../packages/stream/src/index.browser.js";
import { greetWebSocket, scriptedWebSocketServer } from "./hostile/websocket-server.js";

let server: EmbeddedServer;
const saved = (globalThis as { WebSocket?: unknown }).WebSocket;
beforeAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  server = await startServer({ webSocketPort: 0 });
});
afterAll(async () => {
  await server?.close();
  (globalThis as { WebSocket?: unknown }).WebSocket = saved;
});

describe("the browser entry of @reguser/stream", () => {
  it("registers, logs in with a digest, changes the password and removes the account; a repeat is a 409", async () => {
    const url = server.webSocketUrl as string;
    const stream = await openStream({ url, domain: server.domain });
    expect(stream.transport).toBe("websocket");
    expect((await inquire(stream)).fields).toContain("username");
    await register(stream, { username: "page", password: "page-password-1" });
    const taken = await register(stream, { username: "page", password: "other-password-2" }).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(ConflictError);
    const session = await authenticate(stream, {
      username: "page",
      password: "page-password-1",
      resource: "web",
      method: "digest",
    });
    expect(session).toMatchObject({ jid: "page@localhost/web", method: "digest" });
    await changePassword(stream, { password: "page-password-3" });
    await removeAccount(stream);
    expect(stream.closed).toBe(true);
    expect(server.users.has("page")).toBe(false);
  });

  it("refuses a TCP host: a page cannot open TCP", async () => {
    await expect(openStream({ host: "127.0.0.1", port: 5222 })).rejects.toThrow(InvalidOptionError);
    await expect(openStream({ host: "127.0.0.1" })).rejects.toThrow(/a web page cannot open TCP/);
  });

  it("says what to check when the upgrade fails, and refuses a binary frame", async () => {
    const web = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    const { port } = web.address() as AddressInfo;
    const err = await openStream({ url: `ws://127.0.0.1:${port}/nowhere`, domain: "localhost" }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).hint).toMatch(/check the URL and its path/);
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));

    const hostile = await scriptedWebSocketServer(async (peer) => {
      await greetWebSocket(peer);
      await peer.next();
      peer.socket.send(Buffer.from("<iq/>"));
    });
    try {
      const stream = await openStream({ url: hostile.url, domain: "localhost" });
      await expect(inquire(stream)).rejects.toThrow(ProtocolError);
      expect(stream.closed).toBe(true);
    } finally {
      await hostile.close();
    }
  });
});
