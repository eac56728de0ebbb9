// Hostile servers: zero-knowledge offers with a sequence of 0, negative, not a number, or absurdly large.
import { authenticate } from "@reguser/auth";
import { LimitExceededError, NotAuthorizedError, ProtocolError } from "@reguser/errors";
import { sha1hex, zeroKnowledgeHash } from "@reguser/protocol";
import { greet, type ScriptedConnection } from "@reguser/test-kit";
import { describe, expect, it } from "vitest";
import { PASSWORD, withInvariants } from "./harness.js";
import { nextIq } from "./kit.js";

const TOKEN = "3B2DEEC0";
const offer = (sequence: string, token = TOKEN) =>
  `<query xmlns='jabber:iq:auth'><username>u</username><password/><sequence>${sequence}</sequence><token>${token}</token><resource/></query>`;

/** A server offering 0k with `sequence`; it answers a login with `answer(hashSent)`. */
function zkServer(sequence: string, answer: (hash: string) => string = () => "", token = TOKEN) {
  return async (conn: ScriptedConnection) => {
    await greet(conn);
    conn.write(`<iq type='result' id='${await nextIq(conn, "get")}'>${offer(sequence, token)}</iq>`);
    const id = await nextIq(conn, "set");
    const hash = /<hash>([^<]*)<\/hash>/.exec(conn.received())?.[1] ?? "";
    conn.write(`<iq type='${answer(hash) ? "error" : "result"}' id='${id}'>${answer(hash)}</iq>`);
  };
}

const login = { username: "u", password: PASSWORD, resource: "r" };

describe("zero-knowledge offers", () => {
  it("sequence 0 (jabberd 1.4's last one, stored N = 1) logs in with h0, one hash away from the stored h1", () =>
    withInvariants(async (ctx) => {
      const h0 = await zeroKnowledgeHash(PASSWORD, TOKEN, 0);
      ctx.secret(h0, await sha1hex(h0));
      let sent = "";
      const server = await ctx.serve(
        zkServer("0", (hash) => {
          sent = hash;
          return "";
        }),
      );
      const stream = await ctx.open(server.port);
      expect(await authenticate(stream, login)).toMatchObject({ method: "0k" });
      expect(sent).toBe(h0);
      await stream.close();
    })());

  it.each([["-1"], ["-0x10"], ["abc"], ["1e3"], ["12.5"], [""], [" "], ["9".repeat(400)]])(
    "sequence '%s' is a ProtocolError before any login is sent",
    (sequence) =>
      withInvariants(async (ctx) => {
        const server = await ctx.serve(zkServer(sequence));
        const stream = await ctx.open(server.port);
        const err = await ctx.rejects(authenticate(stream, login), ProtocolError);
        expect(err.message.length).toBeLessThan(200);
        await stream.close();
      })(),
  );

  it("an empty token is refused too", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(zkServer("10", undefined, ""));
      const stream = await ctx.open(server.port);
      await ctx.rejects(authenticate(stream, login), ProtocolError);
      await stream.close();
    })());

  it("an absurd sequence is refused at once: the work is capped at 100,000 hashes, or as configured", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(zkServer("9007199254740991"));
      const stream = await ctx.open(server.port);
      // Refused before hashing: without the cap this would hash for years and the test would time out.
      const err = await ctx.rejects(authenticate(stream, login), LimitExceededError);
      expect(err).toMatchObject({ limit: "zero-knowledge sequence", max: 100_000 });
      await stream.close();

      const capped = await ctx.serve(zkServer("5000"));
      const second = await ctx.open(capped.port);
      const small = await ctx.rejects(authenticate(second, login, { maxSequence: 1000 }), LimitExceededError);
      expect(small).toMatchObject({ value: 5000, max: 1000 });
      await second.close();
    })());

  it("a refused 0k login that echoes the hash keeps it out of the error", () =>
    withInvariants(async (ctx) => {
      const hash = await zeroKnowledgeHash(PASSWORD, TOKEN, 7);
      ctx.secret(hash);
      const server = await ctx.serve(
        zkServer(
          "7",
          (h) => `<query xmlns='jabber:iq:auth'><hash>${h}</hash></query><error code='401'>bad ${h}</error>`,
        ),
      );
      const stream = await ctx.open(server.port);
      await ctx.rejects(authenticate(stream, login), NotAuthorizedError);
      await stream.close();
    })());
});
