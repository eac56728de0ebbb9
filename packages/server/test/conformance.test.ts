// Conformance: the book's Examples 7-1 (registration), 7-2 (password change) and 7-3 (authentication), replayed as
// the book typed them, with the book's values, and every reply checked field by field.
import type { Element } from "@xmpp/xml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedServer, startServer } from "../src/index.js";
import { bookHeader, type RawClient, rawClient } from "./helpers/raw-client.js";

/** Name and text of each child, for field-by-field comparison. */
const fields = (el: Element | undefined) => el?.getChildElements().map((c) => [c.name, c.getText()]);
const errorOf = (reply: Element) => {
  const error = reply.getChild("error");
  return { attrs: error?.attrs, text: error?.getText(), children: error?.getChildElements().length };
};
/** Stream ids as the book shows them, then random ones. */
const bookIds =
  (...ids: string[]) =>
  () =>
    ids.shift() ?? Math.random().toString(16).slice(2, 10).toUpperCase();

describe("Example 7-1: a typical user registration (and the errors around it)", () => {
  let server: EmbeddedServer;
  let client: RawClient;
  beforeAll(async () => {
    server = await startServer({ domain: "yak", errors: "legacy", ids: bookIds("3B2DB1A7") });
    client = await rawClient(server.port, bookHeader("yak"));
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it("RECV the header: id 3B2DB1A7, from yak, jabber:client, no version, no features", async () => {
    expect(client.header).toEqual({
      id: "3B2DB1A7",
      from: "yak",
      xmlns: "jabber:client",
      "xmlns:stream": "http://etherx.jabber.org/streams",
    });
  });

  it("RECV the inquiry result: instructions, name, email, username, password", async () => {
    client.send("<iq type='get'> <query xmlns='jabber:iq:register'/> </iq>");
    const reply = await client.next();
    expect(reply.attrs).toEqual({ type: "result" });
    const query = reply.getChild("query", "jabber:iq:register");
    expect(fields(query)).toEqual([
      ["instructions", "Choose a username and password to register with this server."],
      ["name", ""],
      ["email", ""],
      ["username", ""],
      ["password", ""],
    ]);
  });

  it("RECV <iq type='result'/> for leslie's registration", async () => {
    client.send(
      "<iq type='set'> <query xmlns='jabber:iq:register'> <username>leslie</username> <password>secret</password> <email>lel@plevna.com</email> <name>Leslie Hawke</name> </query> </iq>",
    );
    const reply = await client.next();
    expect(reply.attrs).toEqual({ type: "result" });
    expect(reply.children).toEqual([]);
    expect(server.users.get("leslie")?.fields).toEqual({ email: "lel@plevna.com", name: "Leslie Hawke" });
  });

  it("RECV 406 Not Acceptable, the query echoed, when the password is missing", async () => {
    client.send(
      "<iq type='set'> <query xmlns='jabber:iq:register'> <username>leslie</username> <email>lel@plevna.com</email> <name>Leslie Hawke</name> </query> </iq>",
    );
    const reply = await client.next();
    expect(reply.attrs).toEqual({ type: "error" });
    expect(fields(reply.getChild("query", "jabber:iq:register"))).toEqual([
      ["username", "leslie"],
      ["email", "lel@plevna.com"],
      ["name", "Leslie Hawke"],
    ]);
    expect(errorOf(reply)).toEqual({ attrs: { code: "406" }, text: "Not Acceptable", children: 0 });
  });

  it("RECV 409 Username Not Available for a taken name (dj registered twice)", async () => {
    const dj =
      "<iq type='set'> <query xmlns='jabber:iq:register'> <username>dj</username> <password>secret</password> </query> </iq>";
    client.send(dj);
    expect((await client.next()).attrs.type).toBe("result");
    client.send(dj);
    const reply = await client.next();
    expect(reply.attrs).toEqual({ type: "error" });
    expect(fields(reply.getChild("query"))).toEqual([
      ["username", "dj"],
      ["password", "secret"],
    ]);
    expect(errorOf(reply)).toEqual({ attrs: { code: "409" }, text: "Username Not Available", children: 0 });
  });

  describe("Example 7-2: changing leslie's password in a session", () => {
    let session: RawClient;
    beforeAll(async () => {
      session = await rawClient(server.port, bookHeader("yak"));
      session.send(
        "<iq type='set'> <query xmlns='jabber:iq:auth'> <username>leslie</username> <password>secret</password> <resource>Work</resource> </query> </iq>",
      );
      expect((await session.next()).attrs).toEqual({ type: "result" });
    });
    afterAll(() => session.destroy());

    it("RECV <iq type='result' id='pass_4' from='yak' to='leslie@yak/Work'/>", async () => {
      session.send(
        "<iq type='set' id='pass_4' to='yak'> <query xmlns='jabber:iq:register'> <password>newsecret</password> </query> </iq>",
      );
      const reply = await session.next();
      expect(reply.attrs).toEqual({ type: "result", id: "pass_4", from: "yak", to: "leslie@yak/Work" });
      expect(reply.children).toEqual([]);
    });

    it("RECV the in-session inquiry (pass_2): instructions, the fields, <registered/>", async () => {
      session.send("<iq type='get' id='pass_2' to='yak'> <query xmlns='jabber:iq:register'/> </iq>");
      const reply = await session.next();
      expect(reply.attrs).toEqual({ type: "result", id: "pass_2", from: "yak", to: "leslie@yak/Work" });
      const query = reply.getChild("query", "jabber:iq:register");
      expect(Object.fromEntries(fields(query) ?? [])).toEqual({
        registered: "",
        instructions: "Choose a username and password to register with this server.",
        name: "Leslie Hawke",
        email: "lel@plevna.com",
        username: "leslie",
        password: "",
      });
    });

    it("the old password no longer works; the new one does", async () => {
      const login = async (password: string) => {
        const fresh = await rawClient(server.port, bookHeader("yak"));
        fresh.send(
          `<iq type='set'><query xmlns='jabber:iq:auth'><username>leslie</username><password>${password}</password><resource>Home</resource></query></iq>`,
        );
        const reply = await fresh.next();
        fresh.destroy();
        return reply;
      };
      expect(errorOf(await login("secret"))).toEqual({ attrs: { code: "401" }, text: "Unauthorized", children: 0 });
      expect((await login("newsecret")).attrs).toEqual({ type: "result" });
    });
  });
});

describe("Registration switched off (the <register/> section removed)", () => {
  let server: EmbeddedServer;
  let client: RawClient;
  beforeAll(async () => {
    server = await startServer({
      domain: "yak",
      errors: "legacy",
      registration: false,
      accounts: [{ username: "dj", password: "secret" }],
    });
    client = await rawClient(server.port, bookHeader("yak"));
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it("RECV <iq type='error'><query xmlns='jabber:iq:register'/><error code='501'>Not Implemented</error></iq>", async () => {
    client.send("<iq type='get'> <query xmlns='jabber:iq:register'/> </iq>");
    const reply = await client.next();
    expect(reply.attrs).toEqual({ type: "error" });
    const query = reply.getChild("query", "jabber:iq:register");
    expect(query?.getChildElements()).toEqual([]);
    expect(errorOf(reply)).toEqual({ attrs: { code: "501" }, text: "Not Implemented", children: 0 });
  });

  it("the book's quirks on the IQ-set: 406 before 501, 409 before 501, only then 501", async () => {
    const set = (children: string) => `<iq type='set'><query xmlns='jabber:iq:register'>${children}</query></iq>`;
    client.send(set("<username>leslie</username>"));
    expect(errorOf(await client.next()).attrs).toEqual({ code: "406" });
    client.send(set("<username>dj</username><password>secret</password>"));
    expect(errorOf(await client.next())).toMatchObject({ attrs: { code: "409" }, text: "Username Not Available" });
    client.send(set("<username>leslie</username><password>secret</password>"));
    expect(errorOf(await client.next())).toMatchObject({ attrs: { code: "501" }, text: "Not Implemented" });
    expect(server.users.has("leslie")).toBe(false);
  });
});

describe("Example 7-3: a typical user authentication", () => {
  let server: EmbeddedServer;
  beforeAll(async () => {
    server = await startServer({
      domain: "yak",
      errors: "legacy",
      ids: bookIds("1ED34A55", "1ED34A55", "1ED34A55"),
      // The token is the hex Unix time of the reset: 0x3B2DEEC0. 497 sequences: the IQ-get offers 496.
      now: () => 0x3b2deec0 * 1000,
      zeroKnowledgeSequences: 497,
      accounts: [{ username: "dj", password: "secret" }],
    });
  });
  afterAll(() => server.close());

  it("RECV the header with id 1ED34A55, then the offer: password, digest, sequence 496, token 3B2DEEC0, resource", async () => {
    const client = await rawClient(server.port, bookHeader("yak"));
    expect(client.header).toMatchObject({ id: "1ED34A55", from: "yak" });
    client.send("<iq type='get'> <query xmlns='jabber:iq:auth'> <username>dj</username> </query> </iq>");
    const reply = await client.next();
    expect(reply.attrs).toEqual({ type: "result" });
    expect(fields(reply.getChild("query", "jabber:iq:auth"))).toEqual([
      ["username", "dj"],
      ["password", ""],
      ["digest", ""],
      ["sequence", "496"],
      ["token", "3B2DEEC0"],
      ["resource", ""],
    ]);

    client.send(
      "<iq type='set'> <query xmlns='jabber:iq:auth'> <username>dj</username> <password>secret</password> <resource>laptop</resource> </query> </iq>",
    );
    const login = await client.next();
    expect(login.attrs).toEqual({ type: "result" });
    expect(login.children).toEqual([]);
    client.destroy();
  });

  it("RECV 406 Not Acceptable for the book's digest without a resource, the query echoed", async () => {
    const client = await rawClient(server.port, bookHeader("yak"));
    client.send(
      "<iq type='set'> <query xmlns='jabber:iq:auth'> <username>dj</username> <digest>03ea09f012493415908d63dcb1f6dbdb9bfc09ba</digest> </query> </iq>",
    );
    const reply = await client.next();
    // jabberd 1.4 wrote type='result' here (the book shows it); an error is type='error'.
    expect(reply.attrs).toEqual({ type: "error" });
    expect(fields(reply.getChild("query"))).toEqual([
      ["username", "dj"],
      ["digest", "03ea09f012493415908d63dcb1f6dbdb9bfc09ba"],
    ]);
    expect(errorOf(reply)).toEqual({ attrs: { code: "406" }, text: "Not Acceptable", children: 0 });
    client.destroy();
  });

  it("accepts the digest sha1('1ED34A55' + 'secret') = 2508621e…", async () => {
    const client = await rawClient(server.port, bookHeader("yak"));
    expect(client.header.id).toBe("1ED34A55");
    client.send(
      "<iq type='set'><query xmlns='jabber:iq:auth'><username>dj</username><digest>2508621e39c132d7ee32fd4567a9c9f4014cbc3f</digest><resource>Work</resource></query></iq>",
    );
    expect((await client.next()).attrs).toEqual({ type: "result" });
    client.destroy();
  });
});

describe("Example 7-4: zero-knowledge with the book's numbers (secret, token ABCDE, sequence 400)", () => {
  it("offers sequence 400 and token ABCDE, accepts 01945b9b…, then offers 399", async () => {
    const server = await startServer({
      domain: "yak",
      errors: "legacy",
      now: () => 0xabcde * 1000,
      zeroKnowledgeSequences: 401,
      accounts: [{ username: "dj", password: "secret" }],
    });
    const client = await rawClient(server.port, bookHeader("yak"));
    const offer = async () => {
      client.send("<iq type='get'><query xmlns='jabber:iq:auth'><username>dj</username></query></iq>");
      const query = (await client.next()).getChild("query");
      return [query?.getChildText("sequence"), query?.getChildText("token")];
    };
    expect(await offer()).toEqual(["400", "ABCDE"]);
    client.send(
      "<iq type='set'><query xmlns='jabber:iq:auth'><username>dj</username><hash>01945b9b2c3207c4cce5dc99e50605779f570077</hash><resource>telnet</resource></query></iq>",
    );
    expect((await client.next()).attrs).toEqual({ type: "result" });
    expect(await offer()).toEqual(["399", "ABCDE"]);
    client.destroy();
    await server.close();
  });
});
