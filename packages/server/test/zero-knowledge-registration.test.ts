// jabberd 1.4's zero-knowledge registration (mod_auth_0k): a hash chain's top instead of the password, then 0k logins.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authenticate, authMethods } from "@reguser/auth";
import {
  AuthMethodUnavailableError,
  BadRequestError,
  ConflictError,
  NotAcceptableError,
  NotAuthorizedError,
} from "@reguser/errors";
import { digestPassword, NS, parseRegistrationInfo, zeroKnowledgeHash } from "@reguser/protocol";
import xml from "@xmpp/xml";
import { afterAll, describe, expect, it } from "vitest";
import type { EmbeddedServer, ServerOptions } from "../src/index.js";
import { refusal, useServers } from "./helpers/server.js";

const { start, connect, streamTo } = useServers();
const dir = mkdtempSync(join(tmpdir(), "reguser-server-zk-registration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = "correct horse";
const T = "5F3A9C01";
const H = await zeroKnowledgeHash(PASSWORD, T, 500);
const ZK: ServerOptions = { zeroKnowledgeRegistration: true };

/** The registration IQ-set's query: the username and these children, in order. */
const query = (username: string, children: Record<string, string>) =>
  xml(
    "query",
    { xmlns: NS.register },
    xml("username", {}, username),
    ...Object.entries(children).map(([name, text]) => xml(name, {}, text)),
  );

/** Register `username` with the chain (hash, token, sequence) on a fresh stream. */
async function registerByChain(server: EmbeddedServer, username: string, chain: Record<string, string> = {}) {
  const stream = await streamTo(server);
  return stream.set(query(username, { hash: H, token: T, sequence: "500", ...chain }));
}

/** A login on a fresh stream: the session, or what it was refused with. */
async function logIn(server: EmbeddedServer, credentials: Parameters<typeof authenticate>[1]) {
  const stream = await streamTo(server);
  return authenticate(stream, credentials).catch((err: unknown) => err);
}

/** One SASL `<auth/>` on a raw stream; the reply's name and first child. */
async function sasl(server: EmbeddedServer, mechanism: string, payload: string) {
  const client = await connect(server);
  const data = Buffer.from(payload).toString("base64");
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='${mechanism}'>${data}</auth>`);
  const reply = await client.next();
  return [reply.name, reply.getChildElements()[0]?.name];
}

describe("the inquiry", () => {
  it("shows an empty <hash/> only with zeroKnowledgeRegistration (and not in form-only mode)", async () => {
    const hashOf = async (options: ServerOptions) => {
      const stream = await streamTo(await start(options));
      const result = await stream.get(xml("query", { xmlns: NS.register }));
      return [result.getChild("hash")?.toString(), parseRegistrationInfo(result).zeroKnowledge];
    };
    expect(await hashOf({})).toEqual([undefined, false]);
    expect(await hashOf({ zeroKnowledgeRegistration: false })).toEqual([undefined, false]);
    expect(await hashOf(ZK)).toEqual(["<hash/>", true]);
    expect(await hashOf({ ...ZK, registrationForm: "both" })).toEqual(["<hash/>", true]);
    // The form carries no chain, and a form-only server ignores legacy fields.
    expect(await hashOf({ ...ZK, registrationForm: "only" })).toEqual([undefined, false]);
  });

  it("keeps the fields in their order, <hash/> after the password", async () => {
    const stream = await streamTo(await start(ZK));
    const result = await stream.get(xml("query", { xmlns: NS.register }));
    expect(result.getChildElements().map((c) => c.name)).toEqual([
      "instructions",
      "name",
      "email",
      "username",
      "password",
      "hash",
    ]);
  });
});

describe("registering with a chain", () => {
  it("creates the account with the client's chain (hash, token, N) and none of it as fields", async () => {
    const server = await start(ZK);
    const stream = await streamTo(server);
    await stream.set(query("ann", { hash: H, token: T, sequence: "500", email: "ann@example.org" }));
    expect(server.users.has("ann")).toBe(true);
    // The view is what it always was: no password, hash or sign of either.
    expect(server.users.get("ann")).toEqual({
      username: "ann",
      fields: { email: "ann@example.org" },
      zeroKnowledge: { sequence: 500, token: T },
    });
    const offer = await authMethods(stream, "ann");
    expect(offer.zeroKnowledge).toEqual({ sequence: 499, token: T });
  });

  it("logs in with 0k, twice in a row, the offered sequence going down", async () => {
    const server = await start(ZK);
    await registerByChain(server, "ann");
    for (const sequence of [499, 498]) {
      const stream = await streamTo(server);
      expect((await authMethods(stream, "ann")).zeroKnowledge).toEqual({ sequence, token: T });
      expect(await authenticate(stream, { username: "ann", password: PASSWORD, resource: "r", method: "0k" })).toEqual({
        jid: "ann@localhost/r",
        method: "0k",
      });
      await stream.close();
    }
    expect(server.users.get("ann")?.zeroKnowledge).toEqual({ sequence: 498, token: T });
    // A wrong password makes a wrong hash.
    const wrong = await logIn(server, { username: "ann", password: "wrong", resource: "w", method: "0k" });
    expect(wrong).toBeInstanceOf(NotAuthorizedError);
  });

  it("takes a chain of 1: one login, then 0k is used up", async () => {
    const server = await start(ZK);
    await registerByChain(server, "ann", { hash: await zeroKnowledgeHash(PASSWORD, T, 1), sequence: "1" });
    expect(await logIn(server, { username: "ann", password: PASSWORD, resource: "r" })).toMatchObject({ method: "0k" });
    const stream = await streamTo(server);
    expect(await authMethods(stream, "ann")).toMatchObject({ plain: false, digest: false, zeroKnowledge: undefined });
  });

  it("offers only 0k to such an account: plain and digest are unavailable, and refused when sent anyway", async () => {
    const server = await start(ZK);
    server.users.add({ username: "bob", password: "pw" });
    await registerByChain(server, "ann");
    const stream = await streamTo(server);
    expect(await authMethods(stream, "ann")).toMatchObject({ plain: false, digest: false, resource: true });
    // Another account, or an unknown name, is offered what it always was.
    expect(await authMethods(stream, "bob")).toMatchObject({ plain: true, digest: true });
    expect(await authMethods(stream, "nobody")).toMatchObject({ plain: true, digest: true, zeroKnowledge: undefined });

    for (const method of ["plain", "digest"] as const) {
      const err = await logIn(server, { username: "ann", password: PASSWORD, resource: "r", method });
      expect(err).toBeInstanceOf(AuthMethodUnavailableError);
    }
    // Sent all the same (as if offered): 401, never a match, not even for an empty password.
    const offered = { plain: true, digest: true, resource: true };
    for (const method of ["plain", "digest"] as const) {
      for (const password of [PASSWORD, H, "undefined"]) {
        const client = await streamTo(server);
        const err = await authenticate(
          client,
          { username: "ann", password, resource: "r", method },
          { methods: offered },
        ).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(NotAuthorizedError);
      }
    }
    const raw = await streamTo(server);
    const empty = xml(
      "query",
      { xmlns: NS.auth },
      xml("username", {}, "ann"),
      xml("password", {}, ""),
      xml("resource", {}, "r"),
    );
    expect((await refusal(raw.set(empty))).code).toBe(401);
    const digestOfNothing = xml(
      "query",
      { xmlns: NS.auth },
      xml("username", {}, "ann"),
      xml("digest", {}, await digestPassword(raw.streamId, "")),
      xml("resource", {}, "r"),
    );
    expect((await refusal(raw.set(digestOfNothing))).code).toBe(401);
    // The account is untouched: the chain is not spent by refused logins.
    expect(server.users.get("ann")?.zeroKnowledge.sequence).toBe(500);
  });

  it("refuses SASL PLAIN and SCRAM-SHA-1 for it: no SCRAM keys can be derived without a password", async () => {
    const server = await start(ZK);
    await registerByChain(server, "ann");
    for (const password of [PASSWORD, "", H]) {
      expect(await sasl(server, "PLAIN", `\u0000ann\u0000${password}`)).toEqual(["failure", "not-authorized"]);
    }
    expect(await sasl(server, "SCRAM-SHA-1", "n,,n=ann,r=fyko+d2lbbFgONRv9qkxdawL")).toEqual([
      "failure",
      "not-authorized",
    ]);
    // Another account still logs in with SASL on the same server.
    server.users.add({ username: "bob", password: "pw" });
    expect(await sasl(server, "PLAIN", "\u0000bob\u0000pw")).toEqual(["success", undefined]);
  });

  it.each([
    ["an upper-case hash", { hash: H.toUpperCase() }],
    ["a short hash", { hash: H.slice(1) }],
    ["a long hash", { hash: `${H}0` }],
    ["a hash that is not hex", { hash: `${H.slice(1)}g` }],
    ["sequence 0", { sequence: "0" }],
    ["a negative sequence", { sequence: "-1" }],
    ["a fractional sequence", { sequence: "1.5" }],
    ["a sequence that is not a number", { sequence: "five hundred" }],
    ["an empty sequence", { sequence: "" }],
    ["a sequence past 100,000", { sequence: "100001" }],
    ["an empty token", { token: "" }],
    ["a token with a space", { token: "5F3A 9C01" }],
    ["a token padded with whitespace", { token: ` ${T} ` }],
  ])("refuses %s with 400 bad-request (modify), storing nothing", async (_what, chain) => {
    const server = await start(ZK);
    const err = await refusal(registerByChain(server, "ann", chain));
    expect(err).toBeInstanceOf(BadRequestError);
    expect([err.code, err.type, err.condition]).toEqual([400, "modify", "bad-request"]);
    expect(server.users.has("ann")).toBe(false);
  });

  it("refuses a chain without its token or sequence with 400", async () => {
    const server = await start(ZK);
    const stream = await streamTo(server);
    const partial: Record<string, string>[] = [
      { hash: H, sequence: "500" },
      { hash: H, token: T },
    ];
    for (const children of partial) {
      expect(await refusal(stream.set(query("ann", children)))).toBeInstanceOf(BadRequestError);
    }
    expect(server.users.size).toBe(0);
  });

  it("takes whitespace around the hash and sequence (pretty-printed XML)", async () => {
    const server = await start(ZK);
    await registerByChain(server, "ann", { hash: `\n  ${H}\n`, sequence: " 500 " });
    expect(await logIn(server, { username: "ann", password: PASSWORD, resource: "r" })).toMatchObject({ method: "0k" });
  });

  it("with the option off, a chain is no password: 406, as a missing password", async () => {
    for (const options of [{}, { zeroKnowledgeRegistration: false }]) {
      const server = await start(options);
      const err = await refusal(registerByChain(server, "ann"));
      expect(err).toBeInstanceOf(NotAcceptableError);
      expect(err.code).toBe(406);
      expect(server.users.has("ann")).toBe(false);
    }
  });

  it("with the option on, an empty <hash/> (or none) and no password is still a 406", async () => {
    const server = await start(ZK);
    const stream = await streamTo(server);
    const unfilled: Record<string, string>[] = [{ hash: "" }, { hash: "", token: T, sequence: "500" }, { token: T }];
    for (const children of unfilled) {
      expect(await refusal(stream.set(query("ann", children)))).toBeInstanceOf(NotAcceptableError);
    }
    // A missing or impossible username comes first, whatever the chain.
    const noName = xml("query", { xmlns: NS.register }, xml("hash", {}, "bad"), xml("token", {}, T));
    expect(await refusal(stream.set(noName))).toBeInstanceOf(NotAcceptableError);
    expect(await refusal(stream.set(query("a b", { hash: "bad" })))).toBeInstanceOf(NotAcceptableError);
    expect(server.users.size).toBe(0);
  });

  it("answers 409 for a taken username, whether a chain or a password made it", async () => {
    const server = await start(ZK);
    server.users.add({ username: "bob", password: "pw" });
    await registerByChain(server, "ann");
    for (const username of ["ann", "bob"]) {
      const err = await refusal(registerByChain(server, username, { token: "OTHER" }));
      expect(err).toBeInstanceOf(ConflictError);
      expect(err.code).toBe(409);
    }
    expect(server.users.get("ann")?.zeroKnowledge.token).toBe(T);
    expect(await logIn(server, { username: "bob", password: "pw", resource: "r", method: "plain" })).toMatchObject({
      method: "plain",
    });
  });

  it("keeps the other rules: required fields (406) and registration off (501)", async () => {
    const required = await start({ ...ZK, fields: ["email"], requiredFields: ["email"] });
    expect((await refusal(registerByChain(required, "ann"))).code).toBe(406);
    await registerByChain(required, "ann", { email: "a@b" });
    expect(required.users.get("ann")?.fields).toEqual({ email: "a@b" });
    const closed = await start({ ...ZK, registration: false });
    expect((await refusal(registerByChain(closed, "ann"))).code).toBe(501);
  });

  it("uses the password when a request carries both, and ignores the chain", async () => {
    const server = await start({ ...ZK, zeroKnowledgeSequences: 20 });
    const stream = await streamTo(server);
    await stream.set(query("ann", { password: "pw", hash: H, token: T, sequence: "500" }));
    // The server's own chain, from the password: not the client's.
    const view = server.users.get("ann");
    expect(view?.zeroKnowledge.sequence).toBe(20);
    expect(view?.zeroKnowledge.token).not.toBe(T);
    expect(view?.fields).toEqual({});
    expect(await logIn(server, { username: "ann", password: "pw", resource: "r", method: "plain" })).toMatchObject({
      method: "plain",
    });
  });

  it("sets a password (and a new chain) through a change in a 0k session; then every login works", async () => {
    const server = await start({ ...ZK, zeroKnowledgeSequences: 30 });
    await registerByChain(server, "ann");
    const stream = await streamTo(server);
    await authenticate(stream, { username: "ann", password: PASSWORD, resource: "r", method: "0k" });
    // No password to match: any old_password is wrong.
    const withOld = xml("query", { xmlns: NS.register }, xml("old_password", {}, PASSWORD), xml("password", {}, "x"));
    expect((await refusal(stream.set(withOld))).code).toBe(401);
    // A chain is for registration only: here it is neither a change nor fields (nothing to change: 406).
    const chainChange = xml("query", { xmlns: NS.register }, xml("hash", {}, H), xml("token", {}, T));
    expect((await refusal(stream.set(chainChange))).code).toBe(406);
    await stream.set(xml("query", { xmlns: NS.register }, xml("password", {}, "new pw")));
    expect(server.users.get("ann")?.zeroKnowledge.sequence).toBe(30);
    expect(server.users.get("ann")?.fields).toEqual({});
    await stream.close();
    for (const method of ["plain", "digest", "0k"] as const) {
      const session = await logIn(server, { username: "ann", password: "new pw", resource: method, method });
      expect(session).toMatchObject({ method });
    }
    expect(await sasl(server, "PLAIN", "\u0000ann\u0000new pw")).toEqual(["success", undefined]);
  });

  it("never logs the hash or the token", async () => {
    const lines: string[] = [];
    const server = await start({ ...ZK, log: (line) => lines.push(line) });
    await registerByChain(server, "ann");
    await logIn(server, { username: "ann", password: PASSWORD, resource: "r" });
    expect(lines.some((line) => line.includes("<hash>[redacted]</hash>"))).toBe(true);
    expect(lines.join("\n")).not.toContain(H);
    expect(lines.join("\n")).not.toContain(T);
  });
});

describe("the JSON file store", () => {
  it("round-trips an account without a password: the chain goes on from where it was", async () => {
    const file = join(dir, "accounts.json");
    const first = await start({ ...ZK, storeFile: file });
    await registerByChain(first, "ann");
    expect(await logIn(first, { username: "ann", password: PASSWORD, resource: "r" })).toMatchObject({ method: "0k" });
    await first.close();
    const [stored] = JSON.parse(readFileSync(file, "utf8")).accounts;
    expect(stored).not.toHaveProperty("password");
    expect(stored).not.toHaveProperty("scram");
    expect(stored.zeroKnowledge).toEqual({ token: T, sequence: 499, hash: await zeroKnowledgeHash(PASSWORD, T, 499) });

    // Read back by a server without the option: the account is an account, registration has nothing to do with it.
    const second = await start({ storeFile: file });
    expect(second.users.get("ann")).toEqual({
      username: "ann",
      fields: {},
      zeroKnowledge: { sequence: 499, token: T },
    });
    expect(await logIn(second, { username: "ann", password: PASSWORD, resource: "r" })).toMatchObject({ method: "0k" });
    expect(second.users.get("ann")?.zeroKnowledge.sequence).toBe(498);
    const plain = await logIn(second, { username: "ann", password: PASSWORD, resource: "p", method: "plain" });
    expect(plain).toBeInstanceOf(AuthMethodUnavailableError);
    expect(await sasl(second, "PLAIN", `\u0000ann\u0000${PASSWORD}`)).toEqual(["failure", "not-authorized"]);
    expect(JSON.parse(readFileSync(file, "utf8")).accounts[0]).not.toHaveProperty("password");
  });
});
