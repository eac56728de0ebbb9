// Hostile servers: stanzas over the size limit, endless input, junk between stanzas, deep nesting.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { LimitExceededError, XmppError } from "@reguser/errors";
import { inquire } from "@reguser/register";
import { greet, type ScriptedConnection } from "@reguser/test-kit";
import { describe, expect, it } from "vitest";
import { withInvariants } from "./harness.js";
import { iqGet, nextIq, REGISTER_FIELDS } from "./kit.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heapMiB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** Write `total` bytes made by `chunk(i)` as fast as the client reads them; stop when it hangs up. */
async function flood(conn: ScriptedConnection, total: number, chunk: (i: number) => string): Promise<number> {
  let sent = 0;
  for (let i = 0; sent < total && !conn.socket.destroyed; i++) {
    const data = chunk(i);
    sent += Buffer.byteLength(data);
    if (!conn.socket.write(data)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          conn.socket.off("drain", done).off("close", done);
          resolve();
        };
        conn.socket.on("drain", done).on("close", done);
      });
    }
  }
  return sent;
}

describe("stanza size", () => {
  it("closes the stream with LimitExceededError at the default 1 MiB, reading little more than that", () =>
    withInvariants(async (ctx) => {
      let sent = 0;
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        const id = await nextIq(conn, "get");
        conn.write(`<iq type='result' id='${id}'><query xmlns='jabber:iq:register'><instructions>`);
        sent = await flood(conn, 256 * 2 ** 20, () => "A".repeat(64 * 1024));
      });
      const stream = await ctx.open(server.port, { timeout: 5000 });
      const err = await ctx.rejects(inquire(stream), LimitExceededError);
      expect(err).toMatchObject({ limit: "stanza size", max: 1024 * 1024 });
      await server.idle(2000);
      // Kernel buffers hold a few MiB at most: the attacker's 256 MiB were never read.
      expect(sent).toBeLessThan(64 * 2 ** 20);
    })());

  it("bounds an attribute or a tag name that never ends", () =>
    withInvariants(async (ctx) => {
      const openers = ["<iq type='result' id='", "<iqqqqq", "<!-- "];
      const server = await ctx.serve(async (conn, index) => {
        await greet(conn);
        await nextIq(conn, "get");
        conn.write(openers[index] as string);
        await flood(conn, 8 * 2 ** 20, () => "q".repeat(32 * 1024));
      });
      for (let i = 0; i < openers.length; i++) {
        const stream = await ctx.open(server.port, { maxStanzaBytes: 64 * 1024, timeout: 5000 });
        await ctx.rejects(stream.request(iqGet()), LimitExceededError);
      }
    })());

  it("keeps memory flat while junk text flows between small stanzas", () =>
    withInvariants(async (ctx) => {
      const total = 24 * 2 ** 20;
      let done: () => void = () => {};
      const finished = new Promise<void>((resolve) => (done = resolve));
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        // Text outside any stanza, then an unsolicited stanza that resets the size counter, over and over.
        await flood(conn, total, (i) => `${"junk ".repeat(12 * 1024)}<message id='m${i}'/>`);
        done();
      });
      const stream = await ctx.open(server.port, { timeout: 5000 });
      const before = heapMiB();
      await finished;
      await stream.request(iqGet(), { timeout: 50 }).catch(ctx.record);
      const growth = heapMiB() - before;
      expect(stream.closed).toBe(false);
      expect(growth).toBeLessThan(16);
      await stream.close();
    })());

  it("turns 100,000 nested elements into a typed error, not a stack overflow", () =>
    withInvariants(async (ctx) => {
      const depth = 100_000;
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        const id = await nextIq(conn, "get");
        const inner = `${"<a>".repeat(depth)}${"</a>".repeat(depth)}`;
        conn.write(`<iq type='error' id='${id}'>${REGISTER_FIELDS}<error code='409'>${inner}</error></iq>`);
      });
      const stream = await ctx.open(server.port);
      const err = await ctx.rejects(inquire(stream), XmppError);
      expect(err.message).not.toMatch(/call stack/i);
      expect(stream.closed).toBe(true);
    })());
});
