// XEP-0156 discovery of the WebSocket endpoint, against a real HTTP server on 127.0.0.1.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ConnectionError, LimitExceededError, ProtocolError } from "@reguser/errors";
import { afterEach, describe, expect, it } from "vitest";
import { discoverWebSocketUrl } from "../src/index.js";

const REL = "urn:xmpp:alt-connections:websocket";
const XRD = (links: string) =>
  `<?xml version='1.0' encoding='utf-8'?><XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>${links}</XRD>`;

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serve `documents` by path (404 for the rest); a function answers as it likes. */
async function serve(documents: Record<string, string | ((res: http.ServerResponse) => void)>): Promise<string> {
  server = http.createServer((req, res) => {
    const doc = documents[req.url ?? ""];
    if (typeof doc === "function") return doc(res);
    if (doc === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(doc);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("discoverWebSocketUrl", () => {
  it("reads host-meta.json, and prefers a wss:// link to a ws:// one", async () => {
    const base = await serve({
      "/.well-known/host-meta.json": JSON.stringify({
        links: [
          { rel: "urn:xmpp:alt-connections:xbosh", href: "https://example.org/http-bind" },
          { rel: REL, href: "ws://example.org/ws" },
          { rel: REL, href: "wss://example.org/ws" },
        ],
      }),
    });
    expect(await discoverWebSocketUrl("example.org", { base })).toBe("wss://example.org/ws");
  });

  it("falls back to the XRD host-meta when there is no JSON one", async () => {
    const base = await serve({
      "/.well-known/host-meta": XRD(`<Link rel='${REL}' href='ws://127.0.0.1:5280/xmpp-websocket'/>`),
    });
    expect(await discoverWebSocketUrl("localhost", { base })).toBe("ws://127.0.0.1:5280/xmpp-websocket");
  });

  it("says what it tried when neither document lists an endpoint", async () => {
    const base = await serve({ "/.well-known/host-meta": XRD("<Link rel='lrdd' href='https://x/'/>") });
    const err = await discoverWebSocketUrl("example.org", { base }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/host-meta\.json: HTTP 404; .*host-meta: no urn:xmpp:alt-connections/);
    expect((err as ConnectionError).hint).toMatch(/pass the endpoint as openStream's url/);
  });

  it("refuses a document that is not what it says, and one that never ends", async () => {
    const bad = await serve({ "/.well-known/host-meta.json": "{ not json" });
    await expect(discoverWebSocketUrl("example.org", { base: bad })).rejects.toThrow(ProtocolError);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const huge = await serve({
      "/.well-known/host-meta.json": (res) => {
        res.writeHead(200);
        res.write("x".repeat(70 * 1024));
        res.end();
      },
    });
    await expect(discoverWebSocketUrl("example.org", { base: huge })).rejects.toThrow(LimitExceededError);
  });

  it("times out on a server that never answers", async () => {
    const base = await serve({
      "/.well-known/host-meta.json": () => undefined,
      "/.well-known/host-meta": () => undefined,
    });
    const err = await discoverWebSocketUrl("example.org", { base, timeout: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/timed out after 200 ms.*timed out after 200 ms/);
  });
});
