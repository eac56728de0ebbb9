// Hostile servers: the socket drops mid-IQ, during STARTTLS and mid-handshake; stream errors at each step.

import { authenticate } from "@reguser/auth";
import { ConnectionError, StreamError, XmppError } from "@reguser/errors";
import { digestPassword } from "@reguser/protocol";
import { inquire, register } from "@reguser/register";
import type { XmppStream } from "@reguser/stream";
import { greet, HEADER_1_0, NO_TLS_FEATURES } from "@reguser/test-kit";
import { beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, withInvariants } from "./harness.js";
import { AUTH_FIELDS, nextIq, sleep, streamError } from "./kit.js";
import { makeCertificate, PROCEED, STARTTLS_FEATURES, type TestCertificate } from "./tls-fixture.js";

let pki: TestCertificate;
beforeAll(() => {
  pki = makeCertificate();
});
const account = { username: "victim", password: PASSWORD };

describe("the socket drops", () => {
  it("mid-IQ, halfway through the reply, with a reset", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        conn.write(`<iq type='result' id='${await nextIq(conn, "set")}'><query xmlns='jabber:iq:regis`);
        await sleep(5);
        conn.socket.resetAndDestroy();
      });
      const stream = await ctx.open(server.port);
      await ctx.rejects(register(stream, account), ConnectionError);
      expect(stream.pendingRequests).toBe(0);
    })());

  it("right after the client asks for STARTTLS", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn, HEADER_1_0, STARTTLS_FEATURES);
        await conn.waitFor(/<starttls/);
        conn.socket.destroy();
      });
      await ctx.rejects(ctx.open(server.port, { tls: "starttls", ca: pki.cert }), ConnectionError);
    })());

  it("mid-TLS-handshake, as the ClientHello arrives", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn, HEADER_1_0, STARTTLS_FEATURES);
        await conn.waitFor(/<starttls/);
        conn.write(PROCEED);
        conn.socket.once("data", () => conn.socket.destroy());
      });
      await ctx.rejects(ctx.open(server.port, { tls: "starttls", ca: pki.cert }), ConnectionError);
    })());

  it("after <proceed/>, answering the handshake with plaintext", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn, HEADER_1_0, STARTTLS_FEATURES);
        await conn.waitFor(/<starttls/);
        conn.write(PROCEED);
        conn.socket.once("data", () => conn.write(`${HEADER_1_0}${NO_TLS_FEATURES}`));
      });
      await ctx.rejects(ctx.open(server.port, { tls: "starttls", ca: pki.cert }), ConnectionError);
    })());
});

describe("a stream error", () => {
  const hostUnknown = streamError("host-unknown", "No such domain");

  it("in the header's packet, before any features", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await conn.waitFor(/<stream:stream/);
        conn.write(HEADER_1_0 + hostUnknown);
      });
      const err = await ctx.rejects(ctx.open(server.port), StreamError);
      expect(err.condition).toBe("host-unknown");
    })());

  it("instead of <proceed/>, and on the stream restarted over TLS", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn, index) => {
        await greet(conn, HEADER_1_0, STARTTLS_FEATURES);
        await conn.waitFor(/<starttls/);
        if (index === 0) return conn.write(streamError("policy-violation"));
        conn.write(PROCEED);
        conn.startTls(pki);
        await conn.waitFor(/<starttls[\s\S]*<stream:stream/);
        conn.write(HEADER_1_0 + streamError("system-shutdown"));
      });
      const opts = { tls: "starttls" as const, ca: pki.cert };
      expect((await ctx.rejects(ctx.open(server.port, opts), StreamError)).condition).toBe("policy-violation");
      expect((await ctx.rejects(ctx.open(server.port, opts), StreamError)).condition).toBe("system-shutdown");
    })());

  it("in answer to a registration, quoting the password: the error does not repeat it", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        await nextIq(conn, "set");
        conn.write(streamError("policy-violation", `Password '${PASSWORD}' is on our list`));
      });
      const stream = await ctx.open(server.port);
      const err = await ctx.rejects(register(stream, account), StreamError);
      expect(err.condition).toBe("policy-violation");
    })());

  it("in answer to a digest login, quoting the digest", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        conn.write(`<iq type='result' id='${await nextIq(conn, "get")}'>${AUTH_FIELDS}</iq>`);
        await nextIq(conn, "set");
        conn.write(streamError("not-authorized", `digest ${await digestPassword("S1", PASSWORD)} is wrong`));
      });
      const stream = await ctx.open(server.port);
      const login = authenticate(stream, { ...account, resource: "r", method: "digest" });
      await ctx.rejects(login, StreamError);
    })());

  it.each([
    ["no condition at all", "<stream:error/>", "undefined-condition"],
    ["an unknown condition", streamError("frobnicated"), "frobnicated"],
    ["jabberd2's xml-not-well-formed", streamError("xml-not-well-formed"), "not-well-formed"],
  ])("with %s", (_name, error, condition) =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        await nextIq(conn, "get");
        conn.write(error);
      });
      const stream = await ctx.open(server.port);
      expect((await ctx.rejects(inquire(stream), StreamError)).condition).toBe(condition);
    })(),
  );

  it("see-other-host: typed, names the host, and is not followed on its own", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        await nextIq(conn, "get");
        conn.write(streamError("see-other-host", undefined, "[2001:db8::1]:5222"));
      });
      const stream = await ctx.open(server.port);
      const err = await ctx.rejects(inquire(stream), StreamError);
      expect(err).toMatchObject({ condition: "see-other-host", seeOtherHost: "[2001:db8::1]:5222" });
      expect(server.connections).toBe(1);
    })());

  it.each([
    ["destroyed", (stream: XmppStream) => stream.destroy()],
    ["closed", (stream: XmppStream) => stream.close()],
  ] as const)("internal-server-error mid-IQ, then the stream is %s while it waits to reopen", (_how, end) =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        await nextIq(conn, "get");
        conn.write(streamError("internal-server-error"));
        conn.socket.end();
      });
      const stream = await ctx.open(server.port, { retryDelay: 100, openRetries: 2 });
      const pending = inquire(stream);
      await sleep(20);
      await end(stream);
      await ctx.rejects(pending, XmppError);
      await sleep(250);
      expect(server.connections).toBe(1);
    })(),
  );
});
