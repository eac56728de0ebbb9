// Hostile servers: silence at each step, replies with the wrong id or none at all, replies after the timeout.

import { authenticate } from "@reguser/auth";
import { TimeoutError } from "@reguser/errors";
import { inquire, register } from "@reguser/register";
import { greet, HEADER_1_0 } from "@reguser/test-kit";
import { describe, expect, it } from "vitest";
import { PASSWORD, withInvariants } from "./harness.js";
import { AUTH_FIELDS, iqGet, nextIq, REGISTER_FIELDS, sleep } from "./kit.js";

describe("a silent server", () => {
  it("accepts the connection but never sends a header", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await conn.waitFor(/<stream:stream/);
      });
      const err = await ctx.rejects(ctx.open(server.port, { timeout: 150 }), TimeoutError);
      expect(err.message).toMatch(/header/);
      // The wait that ended is the one asked for, not some default.
      expect(err).toMatchObject({ timeout: 150 });
    })());

  it("sends a 1.0 header but never its features", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await conn.waitFor(/<stream:stream/);
        conn.write(HEADER_1_0);
      });
      const err = await ctx.rejects(ctx.open(server.port, { timeout: 150 }), TimeoutError);
      expect(err.message).toMatch(/features/);
    })());

  it("never answers the registration: typed timeout, nothing pending, the stream still usable", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        conn.write(`<iq type='result' id='${await nextIq(conn, "get")}'/>`);
      });
      const stream = await ctx.open(server.port);
      const account = { username: "quiet", password: PASSWORD };
      const err = await ctx.rejects(register(stream, account, { timeout: 100 }), TimeoutError);
      expect(err).toMatchObject({ timeout: 100 });
      expect(stream.pendingRequests).toBe(0);
      await stream.request(iqGet());
      await stream.close();
    })());

  it("never answers the login (Prosody trap 6)", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        conn.write(`<iq type='result' id='${await nextIq(conn, "get")}'>${AUTH_FIELDS}</iq>`);
      });
      const stream = await ctx.open(server.port);
      const login = authenticate(stream, { username: "u", password: PASSWORD, resource: "r" }, { timeout: 100 });
      await ctx.rejects(login, TimeoutError);
      expect(stream.pendingRequests).toBe(0);
      await stream.close();
    })());
});

describe("replies that answer nothing", () => {
  it("ignores a wrong id, an id never sent, an error for a stranger's id and a reply from a third party", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        const id = await nextIq(conn, "get");
        conn.write(`<iq type='result' id='${id}x'/><iq type='result' id='never-sent'/><iq type='result'/>`);
        conn.write(`<iq type='error' id='other'><error type='cancel'><conflict xmlns='x'/></error></iq>`);
        conn.write(`<iq type='result' id='${id}' from='mallory@evil.example'>${REGISTER_FIELDS}</iq>`);
        conn.write(`<iq type='set' id='push'><query xmlns='jabber:iq:roster'/></iq>`);
      });
      const stream = await ctx.open(server.port);
      await ctx.rejects(inquire(stream, { timeout: 150 }), TimeoutError);
      expect(stream.pendingRequests).toBe(0);
      expect(stream.closed).toBe(false);
      await stream.close();
    })());

  it("drops a reply that arrives after its timeout and answers the next request correctly", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        const first = await nextIq(conn, "get");
        const second = await nextIq(conn, "get", 2);
        // The late reply to the first carries an error; the second gets the fields.
        conn.write(`<iq type='error' id='${first}'><error code='500'/></iq>`);
        await sleep(10);
        conn.write(`<iq type='result' id='${second}'>${REGISTER_FIELDS}</iq>`);
      });
      const stream = await ctx.open(server.port);
      await ctx.rejects(inquire(stream, { timeout: 60 }), TimeoutError);
      const info = await inquire(stream);
      expect(info.fields).toEqual(["username", "password"]);
      expect(stream.pendingRequests).toBe(0);
      await stream.close();
    })());
});
