// Hostile servers: malformed XML at every point, unknown stream namespaces, UTF-8 cut or invalid.
import { ConnectionError, ProtocolError, XmppError } from "@reguser/errors";
import { inquire } from "@reguser/register";
import { greet, HEADER_1_0, NO_TLS_FEATURES } from "@reguser/test-kit";
import { describe, expect, it } from "vitest";
import { withInvariants } from "./harness.js";
import { iqGet, nextIq, REGISTER_FIELDS, sleep } from "./kit.js";

const HEADER_CASES: Array<[string, string]> = [
  ["garbage instead of a header", "HTTP/1.1 400 Bad Request\r\n\r\n<html>"],
  ["an unknown entity in an attribute", HEADER_1_0.replace("id='S1'", "id='&evil;'")],
  ["a header closed by the wrong tag", `${HEADER_1_0}</stream:features>`],
  ["text before the header", "hello<stream:stream id='x'>"],
];

describe("malformed XML from the server", () => {
  it.each(HEADER_CASES)("in the header: %s", (_name, bytes) =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await conn.waitFor(/<stream:stream/);
        conn.write(bytes);
      });
      await ctx.rejects(ctx.open(server.port), XmppError);
    })(),
  );

  it("mid-stanza: a wrong end tag, an unknown entity, both while an IQ waits", () =>
    withInvariants(async (ctx) => {
      const bad = ["<iq type='result' id='x'><query></iq>", "<iq type='result' id='x'>&nope;</iq>"];
      const server = await ctx.serve(async (conn, index) => {
        await greet(conn);
        await nextIq(conn, "get");
        conn.write(bad[index] as string);
      });
      for (let i = 0; i < bad.length; i++) {
        const stream = await ctx.open(server.port);
        const err = await ctx.rejects(inquire(stream), ProtocolError);
        expect(err.message).toMatch(/Malformed XML/);
        expect(stream.pendingRequests).toBe(0);
      }
    })());

  it("after </stream:stream>: the end wins, the garbage after it is ignored", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        await nextIq(conn, "get");
        conn.write("</stream:stream><<&&>>\u0000</iq>");
      });
      const stream = await ctx.open(server.port);
      await ctx.rejects(stream.request(iqGet()), ConnectionError);
      expect(stream.closed).toBe(true);
    })());

  it.each([
    ["a wrong streams namespace", HEADER_1_0.replace("http://etherx.jabber.org/streams", "urn:evil:streams")],
    ["no streams namespace at all", HEADER_1_0.replace(" xmlns:stream='http://etherx.jabber.org/streams'", "")],
    ["a server-to-server content namespace", HEADER_1_0.replace("xmlns='jabber:client'", "xmlns='jabber:server'")],
    ["a root that is not stream:stream", HEADER_1_0.replace("<stream:stream", "<stream:evil")],
  ])("an unknown namespace on the stream: %s", (_name, header) =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await conn.waitFor(/<stream:stream/);
        conn.write(header + NO_TLS_FEATURES);
      });
      const err = await ctx.rejects(ctx.open(server.port), ProtocolError);
      expect(err.message).toMatch(/namespace|stream:stream/);
    })(),
  );
});

describe("UTF-8 from the server", () => {
  it("parses characters cut across two TCP packets, inside a stanza", () =>
    withInvariants(async (ctx) => {
      const reply = (id: string) =>
        Buffer.from(`<iq type='result' id='${id}'>${REGISTER_FIELDS.replace("Choose", "Wählen 😀 李")}</iq>`, "utf8");
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        const bytes = reply(await nextIq(conn, "get"));
        // Cut inside the four bytes of 😀 (F0 9F 98 80) and inside the three of 李.
        const emoji = bytes.indexOf(Buffer.from("😀")) + 2;
        const han = bytes.indexOf(Buffer.from("李")) + 1;
        for (const [from, to] of [
          [0, emoji],
          [emoji, han],
          [han, bytes.length],
        ]) {
          conn.write(bytes.subarray(from, to));
          await sleep(15);
        }
      });
      const stream = await ctx.open(server.port);
      const info = await inquire(stream);
      expect(info.instructions).toBe("Wählen 😀 李");
      await stream.close();
    })());

  it.each([
    ["a lone continuation byte", [0x80]],
    ["an overlong '/'", [0xc0, 0xaf]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["a lead byte followed by ASCII", [0xe6, 0x41, 0x42]],
  ])("fails cleanly on invalid UTF-8: %s", (_name, bad) =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        const id = await nextIq(conn, "get");
        conn.write(Buffer.concat([Buffer.from(`<iq type='result' id='${id}'><query>`), Buffer.from(bad)]));
      });
      const stream = await ctx.open(server.port);
      const err = await ctx.rejects(inquire(stream), ProtocolError);
      expect(err.message).toMatch(/UTF-8/);
    })(),
  );

  it("a UTF-8 sequence left unfinished when the server hangs up is a closed connection", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        await nextIq(conn, "get");
        conn.write(Buffer.from([0x3c, 0x69, 0x71, 0x20, 0xe6, 0x9d]));
        conn.socket.end();
      });
      const stream = await ctx.open(server.port);
      await ctx.rejects(inquire(stream), ConnectionError);
    })());

  it("a header split in two before its features still opens", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await conn.waitFor(/<stream:stream/);
        conn.write(HEADER_1_0.slice(0, 40));
        await sleep(10);
        conn.write(HEADER_1_0.slice(40));
        await sleep(10);
        conn.write(NO_TLS_FEATURES);
      });
      const stream = await ctx.open(server.port);
      expect(stream.features.register).toBe(true);
      await stream.close();
    })());
});
