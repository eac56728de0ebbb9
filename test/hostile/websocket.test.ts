// Hostile WebSocket peers (RFC 7395): each ends in a typed error with nothing left open and nothing leaked.
import http from "node:http";
import net from "node:net";
import { ConnectionError, InvalidOptionError, LimitExceededError, ProtocolError } from "@reguser/errors";
import { inquire } from "@reguser/register";
import { openStream } from "@reguser/stream";
import { describe, expect, it } from "vitest";
import { withInvariants } from "./harness.js";
import { greetWebSocket } from "./websocket-server.js";

const REGISTER_FIELDS = "<query xmlns='jabber:iq:register'><username/><password/></query>";
const idOf = (text: string) => /id="([^"]+)"/.exec(text)?.[1] ?? "";

describe("hostile WebSocket peers", () => {
  it("answers an inquiry over a well-behaved peer, the stanza qualified with jabber:client", () =>
    withInvariants(async (ctx) => {
      let sent = "";
      const server = await ctx.serveWebSocket(async (peer) => {
        await greetWebSocket(peer);
        sent = await peer.next();
        peer.socket.send(`<iq xmlns='jabber:client' type='result' id='${idOf(sent)}'>${REGISTER_FIELDS}</iq>`);
        await peer.next();
        peer.socket.send(`<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>`);
        peer.socket.close(1000);
      });
      const stream = await ctx.openUrl(server.url);
      expect(stream.transport).toBe("websocket");
      expect((await inquire(stream)).fields).toContain("username");
      expect(sent).toMatch(/^<iq [^>]*xmlns="jabber:client"/);
      await stream.close();
    })());

  it.each([
    ["a binary frame", (send: (data: string | Buffer) => void) => send(Buffer.from("<iq/>")), ProtocolError, /binary/],
    [
      "two stanzas in one message",
      (send: (data: string) => void) => send("<iq type='result' id='x'/><iq type='result' id='y'/>"),
      ProtocolError,
      /2 elements/,
    ],
    [
      "half a stanza",
      (send: (data: string) => void) => send("<iq type='result' id='x'><query xmlns='jabber:iq:register'>"),
      ProtocolError,
      /not one whole XML element \(RFC 7395 §3.3.3\): query must be closed/,
    ],
    [
      "text that is not XML",
      (send: (data: string) => void) => send("<<&&>>"),
      ProtocolError,
      /not one whole XML element/,
    ],
    [
      "a message over the size limit",
      (send: (data: string) => void) => send(`<iq type='result' id='x'>${"a".repeat(20_000)}</iq>`),
      LimitExceededError,
      /over 8192 bytes/,
    ],
  ] as const)("while an IQ waits: %s", (_name, misbehave, type, message) =>
    withInvariants(async (ctx) => {
      const server = await ctx.serveWebSocket(async (peer) => {
        await greetWebSocket(peer);
        await peer.next();
        misbehave((data) => peer.socket.send(data));
      });
      const stream = await ctx.openUrl(server.url, { maxStanzaBytes: 8192 });
      const err = await ctx.rejects(inquire(stream), type);
      expect(err.message).toMatch(message);
      expect(stream.closed).toBe(true);
      expect(stream.pendingRequests).toBe(0);
    })(),
  );

  it("an <open/> of an unknown framing namespace fails the open", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serveWebSocket(async (peer) => {
        await peer.next();
        peer.socket.send("<open xmlns='urn:evil:framing' from='localhost' id='W1' version='1.0'/>");
      });
      const err = await ctx.rejects(ctx.openUrl(server.url), ProtocolError);
      expect(err.message).toMatch(/unknown framing namespace 'urn:evil:framing'/);
    })());

  it("a TCP-style stream header over WebSocket fails the open", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serveWebSocket(async (peer) => {
        await peer.next();
        peer.socket.send(
          "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='S1' version='1.0'>",
        );
      });
      await ctx.rejects(ctx.openUrl(server.url), ProtocolError);
    })());

  it("a close without <close/> while an IQ waits is a lost connection", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serveWebSocket(async (peer) => {
        await greetWebSocket(peer);
        await peer.next();
        peer.socket.close(1011, "going away");
      });
      const stream = await ctx.openUrl(server.url);
      const err = await ctx.rejects(inquire(stream), ConnectionError);
      expect(err.lost).toBe(true);
      expect(err.message).toMatch(/closed unexpectedly: WebSocket close code 1011: going away/);
    })());

  it("a server <close/> ends the stream, and a request after it is refused", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serveWebSocket(async (peer) => {
        await greetWebSocket(peer);
        await peer.next();
        peer.socket.send("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        peer.socket.close(1000);
      });
      const stream = await ctx.openUrl(server.url);
      await ctx.rejects(inquire(stream), ConnectionError);
      await ctx.rejects(inquire(stream), ConnectionError);
    })());

  it("a server that agrees to no subprotocol is refused before anything is sent", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serveWebSocket(() => undefined, { protocol: false });
      const err = await ctx.rejects(ctx.openUrl(server.url), ConnectionError);
      expect(err.message).toMatch(/subprotocol/);
    })());

  it("an HTTP answer instead of the upgrade says to check the path", () =>
    withInvariants(async (ctx) => {
      const web = http.createServer((_request, response) => {
        response.writeHead(404);
        response.end("not here");
      });
      await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
      const { port } = web.address() as net.AddressInfo;
      try {
        const err = await ctx.rejects(ctx.openUrl(`ws://127.0.0.1:${port}/nowhere`), ConnectionError);
        expect(err.message).toMatch(/answered HTTP 404 instead of upgrading/);
        expect(err.hint).toMatch(/check the path/);
      } finally {
        web.closeAllConnections();
        await new Promise<void>((resolve) => web.close(() => resolve()));
      }
    })());

  it("a server that never answers the upgrade times out", () =>
    withInvariants(async (ctx) => {
      const silent = net.createServer(() => undefined);
      const sockets = new Set<net.Socket>();
      silent.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
      });
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      const { port } = silent.address() as net.AddressInfo;
      try {
        const err = await ctx.rejects(ctx.openUrl(`ws://127.0.0.1:${port}/xmpp`, { timeout: 300 }), ConnectionError);
        expect(err.message).toMatch(/timed out after 300 ms/);
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    })());
});

describe("WebSocket options", () => {
  it.each([
    [{ url: "http://127.0.0.1:5280/ws" }, /"url" option must be a ws:\/\/ or wss:\/\/ URL, got a http: URL/],
    [{ url: "not a url" }, /got a string that is not a URL/],
    [{ url: "ws://127.0.0.1:5280/ws", host: "127.0.0.1" }, /"host" option must be left out when url is given/],
    [{ url: "ws://127.0.0.1:5280/ws", tls: "starttls" as const }, /"tls" option must be left out/],
    [{}, /"host" option must be a non-empty string, got undefined/],
  ])("%o is refused before anything is dialled", async (options, message) => {
    await expect(openStream(options)).rejects.toThrow(InvalidOptionError);
    await expect(openStream(options)).rejects.toThrow(message);
  });
});
