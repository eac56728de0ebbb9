// Invite tokens as Prosody 0.12's mod_invites + mod_invites_register (XEP-0445, XEP-0379 preauth), over real TCP.
import { authenticate } from "@reguser/auth";
import {
  BadRequestError,
  ConflictError,
  FeatureNotImplementedError,
  ForbiddenError,
  InvalidOptionError,
  NotAcceptableError,
  NotAuthorizedError,
  ServiceUnavailableError,
} from "@reguser/errors";
import { NS } from "@reguser/protocol";
import type { XmppStream } from "@reguser/stream";
import xml from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import type { EmbeddedServer, ServerOptions } from "../src/index.js";
import { modernHeader } from "./helpers/raw-client.js";
import { refusal, useServers } from "./helpers/server.js";

const { start, connect, streamTo } = useServers();
const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const INVITE_ONLY = "Registration on this server is through invitation only";
const INVALID_TOKEN = "The invite token is invalid or expired";

const preauthOf = (token?: string) => xml("preauth", { xmlns: NS.pars, ...(token === undefined ? {} : { token }) });
const preauth = (stream: XmppStream, token?: string) => stream.set(preauthOf(token), { to: stream.domain });
const register = (stream: XmppStream, username: string, password: string) =>
  stream.set(xml("query", { xmlns: NS.register }, xml("username", {}, username), xml("password", {}, password)), {
    to: stream.domain,
  });

const canLogIn = async (server: EmbeddedServer, username: string, password: string) => {
  const stream = await streamTo(server);
  return authenticate(stream, { username, password, resource: "check" }).then(
    () => true,
    (err: unknown) => {
      if (err instanceof NotAuthorizedError) return false;
      throw err;
    },
  );
};

describe("stream features", () => {
  it("advertise invites (both namespaces, as Prosody) only when invites are on", async () => {
    const plain = await streamTo(await start());
    expect([plain.features.invites, plain.features.register]).toEqual([false, true]);

    const invited = await streamTo(await start({ invites: {} }));
    expect([invited.features.invites, invited.features.register]).toEqual([true, true]);
    const registers = invited.features.element?.getChildren("register").map((r) => r.attrs.xmlns);
    expect(registers).toEqual([NS.registerFeature, NS.inviteFeature, NS.ibrToken]);
  });

  it("keep register advertised with registration: false when invites open it; none of it after SASL", async () => {
    const closed = await streamTo(await start({ registration: false }));
    expect([closed.features.invites, closed.features.register]).toEqual([false, false]);

    const server = await start({ registration: false, invites: {}, accounts: [{ username: "ann", password: "pw" }] });
    const client = await connect(server);
    expect(client.features?.getChildElements().map((c) => c.name)).toEqual([
      "mechanisms",
      "register",
      "auth",
      "register",
      "register",
    ]);
    client.send(
      `<auth xmlns='${SASL}' mechanism='PLAIN'>${Buffer.from("\u0000ann\u0000pw").toString("base64")}</auth>`,
    );
    expect((await client.next()).is("success", SASL)).toBe(true);
    await client.restart(modernHeader("localhost"));
    expect((await client.next()).getChildElements().map((c) => c.name)).toEqual(["bind", "session"]);
  });
});

describe("invite-only (the default)", () => {
  it("refuses a registration without a validated token: modify / not-acceptable with Prosody's text", async () => {
    const server = await start({ invites: { tokens: ["unused"] } });
    const err = await refusal(register(await streamTo(server), "ann", "pw"));
    expect(err).toBeInstanceOf(NotAcceptableError);
    expect([err.type, err.text]).toEqual(["modify", INVITE_ONLY]);
    expect(server.users.size).toBe(0);
    expect(server.invites.has("unused")).toBe(true);
  });

  it("writes the refusal in the configured error style (legacy: code 406 and the text)", async () => {
    const server = await start({ invites: {}, errors: "legacy" });
    const client = await connect(server);
    client.send(
      `<iq type='set' id='r'><query xmlns='${NS.register}'><username>ann</username><password>pw</password></query></iq>`,
    );
    const error = (await client.next()).getChild("error");
    expect([error?.attrs.code, error?.attrs.type, error?.getText()]).toEqual(["406", undefined, INVITE_ONLY]);
    expect(error?.getChild("not-acceptable", STANZAS)).toBeUndefined();
  });

  it("keeps the 406 for a missing password first, and refuses before looking for the name (no 409 leak)", async () => {
    const server = await start({ invites: {}, accounts: [{ username: "ann", password: "pw" }] });
    const stream = await streamTo(server);
    const missing = await refusal(
      stream.set(xml("query", { xmlns: NS.register }, xml("username", {}, "bob")), { to: stream.domain }),
    );
    expect([missing.condition, missing.text]).toEqual(["not-acceptable", "Not Acceptable"]);
    const taken = await refusal(register(stream, "ann", "other"));
    expect([taken.condition, taken.text]).toEqual(["not-acceptable", INVITE_ONLY]);
  });

  it("lets a preauth-validated token through, spends it, and refuses it afterwards (cancel / forbidden)", async () => {
    const server = await start({ invites: { tokens: ["tok-1", "tok-2"] } });
    const stream = await streamTo(server);
    expect(await preauth(stream, "tok-1")).toBeUndefined();
    expect(server.invites.has("tok-1")).toBe(true);
    expect(await register(stream, "ann", "pw")).toBeUndefined();
    expect(server.users.has("ann")).toBe(true);
    expect([server.invites.has("tok-1"), server.invites.has("tok-2"), server.invites.size]).toEqual([false, true, 1]);

    // The invite let one registration through, not every one on the stream.
    expect((await refusal(register(stream, "bob", "pw"))).text).toBe(INVITE_ONLY);
    const again = await refusal(preauth(await streamTo(server), "tok-1"));
    expect(again).toBeInstanceOf(ForbiddenError);
    expect([again.type, again.text]).toEqual(["cancel", INVALID_TOKEN]);
    expect(await canLogIn(server, "ann", "pw")).toBe(true);
  });

  it("answers an unknown token with forbidden and a preauth without a token with bad-request", async () => {
    const server = await start({ invites: { tokens: ["good"] } });
    const stream = await streamTo(server);
    const unknown = await refusal(preauth(stream, "bad"));
    expect(unknown).toBeInstanceOf(ForbiddenError);
    expect([unknown.type, unknown.text]).toEqual(["cancel", INVALID_TOKEN]);
    expect(await refusal(preauth(stream))).toBeInstanceOf(BadRequestError);
    expect(await refusal(preauth(stream, ""))).toBeInstanceOf(BadRequestError);
    expect((await refusal(register(stream, "ann", "pw"))).text).toBe(INVITE_ONLY);
  });

  it("does not spend the token on a failed registration (409, 406): the next attempt uses it", async () => {
    const server = await start({ invites: { tokens: ["tok"] }, accounts: [{ username: "ann", password: "pw" }] });
    const stream = await streamTo(server);
    await preauth(stream, "tok");
    expect(await refusal(register(stream, "ann", "mine"))).toBeInstanceOf(ConflictError);
    expect(await refusal(register(stream, "a@b", "mine"))).toBeInstanceOf(NotAcceptableError);
    expect(server.invites.has("tok")).toBe(true);
    expect(await register(stream, "bob", "pw")).toBeUndefined();
    expect(server.invites.has("tok")).toBe(false);
    expect(await canLogIn(server, "ann", "pw")).toBe(true);
  });

  it("counts a validated token only while unspent: two connections, one registration", async () => {
    const server = await start({ invites: { tokens: ["shared"] } });
    const [first, second] = [await streamTo(server), await streamTo(server)];
    await preauth(first, "shared");
    await preauth(second, "shared");
    await register(first, "ann", "pw");
    expect((await refusal(register(second, "bob", "pw"))).text).toBe(INVITE_ONLY);
    expect(server.users.usernames()).toEqual(["ann"]);
  });

  it("opens registration for token holders even with registration: false (the inquiry too)", async () => {
    const server = await start({ registration: false, invites: { tokens: ["tok"] } });
    const stream = await streamTo(server);
    const inquiry = await stream.get(xml("query", { xmlns: NS.register }), { to: stream.domain });
    expect(inquiry.getChild("username")).toBeDefined();
    expect((await refusal(register(stream, "ann", "pw"))).text).toBe(INVITE_ONLY);
    await preauth(stream, "tok");
    expect(await register(stream, "ann", "pw")).toBeUndefined();
  });

  it("with a reset invite, registering the account it names again sets the new password", async () => {
    const server = await start({
      accounts: [
        { username: "ann", password: "old-pw", fields: { email: "ann@example.org" } },
        { username: "bob", password: "bob-pw" },
      ],
      invites: { tokens: [{ token: "reset-ann", username: "ann", reset: true }] },
    });
    const stream = await streamTo(server);
    await preauth(stream, "reset-ann");
    // Another existing account is still taken.
    expect(await refusal(register(stream, "bob", "new-pw"))).toBeInstanceOf(ConflictError);
    expect(server.invites.has("reset-ann")).toBe(true);
    expect(await register(stream, "ann", "new-pw")).toBeUndefined();
    expect(server.invites.has("reset-ann")).toBe(false);
    expect(server.users.get("ann")?.fields).toEqual({ email: "ann@example.org" });

    const login = await streamTo(server);
    const session = await authenticate(login, { username: "ann", password: "new-pw", resource: "desk" });
    expect(session.jid).toBe("ann@localhost/desk");
    expect(await canLogIn(server, "ann", "old-pw")).toBe(false);
    expect(await canLogIn(server, "bob", "bob-pw")).toBe(true);
  });

  it("answers 409 for an existing name when the invite names it but does not reset it", async () => {
    const server = await start({
      accounts: [{ username: "ann", password: "pw" }],
      invites: { tokens: [{ token: "for-ann", username: "ann" }] },
    });
    const stream = await streamTo(server);
    await preauth(stream, "for-ann");
    expect(await refusal(register(stream, "ann", "new-pw"))).toBeInstanceOf(ConflictError);
    expect(server.invites.has("for-ann")).toBe(true);
  });

  it("does not hold the registration to the name an invite names (as Prosody 0.12.3: the client must)", async () => {
    const server = await start({ invites: {} });
    const uri = server.invites.create({ username: "ann" });
    const token = uri.split("preauth=")[1] as string;
    const stream = await streamTo(server);
    await preauth(stream, token);
    expect(await register(stream, "zed", "pw")).toBeUndefined();
    expect([server.users.has("zed"), server.invites.has(token)]).toEqual([true, false]);
  });

  it("answers a preauth in a session, or on a server without invites, with service-unavailable", async () => {
    const off = await streamTo(await start());
    expect(await refusal(preauth(off, "anything"))).toBeInstanceOf(ServiceUnavailableError);

    const server = await start({ invites: { tokens: ["tok"] }, accounts: [{ username: "ann", password: "pw" }] });
    const stream = await streamTo(server);
    await authenticate(stream, { username: "ann", password: "pw", resource: "r" });
    expect(await refusal(preauth(stream, "tok"))).toBeInstanceOf(ServiceUnavailableError);
    expect(server.invites.has("tok")).toBe(true);
  });

  it("keeps tokens out of the log, the good one and the echoed bad one", async () => {
    const lines: string[] = [];
    const server = await start({ invites: { tokens: ["secret-token-1"] }, log: (line) => lines.push(line) });
    const stream = await streamTo(server);
    await preauth(stream, "secret-token-1");
    await refusal(preauth(stream, "secret-token-2"));
    const log = lines.join("\n");
    expect(log).toContain(`<preauth xmlns="${NS.pars}" token="[redacted]"/>`);
    expect(log).not.toMatch(/secret-token/);
  });
});

describe("only: false", () => {
  it("still allows plain registration, and a token is optional (spent when used)", async () => {
    const server = await start({ invites: { only: false, tokens: ["tok"] } });
    const stream = await streamTo(server);
    expect(stream.features.invites).toBe(true);
    expect(await register(stream, "ann", "pw")).toBeUndefined();
    await preauth(stream, "tok");
    expect(await register(stream, "bob", "pw")).toBeUndefined();
    expect([server.users.usernames(), server.invites.has("tok")]).toEqual([["ann", "bob"], false]);
  });

  it("with registration: false, lets only token holders through (501 for the others, the book's answer)", async () => {
    const server = await start({ registration: false, invites: { only: false, tokens: ["tok"] } });
    const stream = await streamTo(server);
    expect(await refusal(register(stream, "ann", "pw"))).toBeInstanceOf(FeatureNotImplementedError);
    await preauth(stream, "tok");
    expect(await register(stream, "ann", "pw")).toBeUndefined();
  });
});

describe("server.invites", () => {
  it("create() returns XEP-0401 registration URIs with fresh URL-safe tokens that work on the wire", async () => {
    const server = await start({ domain: "localhost", invites: {} });
    const anyName = server.invites.create();
    const named = server.invites.create({ username: "ann" });
    const reset = server.invites.create({ username: "bob", reset: true });
    expect(anyName).toMatch(/^xmpp:localhost\?register;preauth=[A-Za-z0-9_-]{16,}$/);
    expect(named).toMatch(/^xmpp:ann@localhost\?register;preauth=[A-Za-z0-9_-]{16,}$/);
    expect(reset).toMatch(/^xmpp:bob@localhost\?register;preauth=[A-Za-z0-9_-]{16,}$/);
    const tokens = [anyName, named, reset].map((uri) => uri.split("preauth=")[1] ?? "");
    expect(new Set(tokens).size).toBe(3);
    expect(tokens.every((t) => server.invites.has(t))).toBe(true);
    expect(server.invites.size).toBe(3);

    const stream = await streamTo(server);
    const [first = ""] = tokens;
    await preauth(stream, first);
    await register(stream, "carol", "pw");
    expect([server.invites.has(first), server.invites.size]).toEqual([false, 2]);
  });

  it("create() refuses a reset invite without a username and a username no JID can carry", async () => {
    const server = await start({ invites: {} });
    expect(() => server.invites.create({ reset: true })).toThrow(InvalidOptionError);
    expect(() => server.invites.create({ username: "a@b" })).toThrow(InvalidOptionError);
    expect(server.invites.size).toBe(0);
  });

  it("create() throws when invites are off, saying how to turn them on", async () => {
    const server = await start();
    expect(() => server.invites.create()).toThrow(/pass `invites` to startServer/);
    expect([server.invites.size, server.invites.has("anything")]).toEqual([0, false]);
  });

  it.each<[string, ServerOptions["invites"]]>([
    ["an empty token", { tokens: [""] }],
    ["a reset seed without a username", { tokens: [{ token: "t", reset: true }] }],
  ])("startServer refuses %s", async (_, invites) => {
    await expect(start({ invites })).rejects.toThrow(InvalidOptionError);
  });
});
