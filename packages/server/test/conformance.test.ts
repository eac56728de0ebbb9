// The book's Examples 7-1 (registration), 7-2 (password change) and 7-3 (authentication) replayed on the wire.
import { sha1hex } from "@reguser/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedServer, startServer } from "../src/index.js";
import { bookHeader, type RawClient, rawClient } from "./raw-client.js";

let server: EmbeddedServer;
beforeAll(async () => {
  server = await startServer({ domain: "yak", errors: "legacy" });
});
afterAll(() => server?.close());

const children = (el: { getChildElements(): { name: string }[] } | undefined) =>
  el?.getChildElements().map((c) => c.name);

describe("Example 7-1: a typical user registration", () => {
  let client: RawClient;
  beforeAll(async () => {
    client = await rawClient(server.port, bookHeader("yak"));
  });
  afterAll(() => client.destroy());

  it("answers the header like jabberd 1.4: an id, from yak, no version, no features", () => {
    expect(client.header.id).toMatch(/^[0-9A-F]{8}$/);
    expect(client.header.from).toBe("yak");
    expect(client.header.version).toBeUndefined();
  });

  it("lists instructions and name, email, username, password", async () => {
    client.send("<iq type='get' id='r1'><query xmlns='jabber:iq:register'/></iq>");
    const reply = await client.next();
    expect([reply.attrs.type, reply.attrs.id]).toEqual(["result", "r1"]);
    const query = reply.getChild("query", "jabber:iq:register");
    expect(query?.getChildText("instructions")).toBe("Choose a username and password to register with this server.");
    expect(children(query)).toEqual(["instructions", "name", "email", "username", "password"]);
  });

  it("registers leslie with an empty result", async () => {
    client.send(
      "<iq type='set' id='r2'><query xmlns='jabber:iq:register'><username>leslie</username><password>secret</password><email>lel@plevna.com</email><name>Leslie Hawke</name></query></iq>",
    );
    const reply = await client.next();
    expect([reply.attrs.type, reply.attrs.id, reply.getChildElements().length]).toEqual(["result", "r2", 0]);
    expect(server.users.has("leslie")).toBe(true);
  });

  it("answers a registration without password with 406 Not Acceptable, echoing the query", async () => {
    client.send(
      "<iq type='set' id='r3'><query xmlns='jabber:iq:register'><username>leslie2</username><email>lel@plevna.com</email><name>Leslie Hawke</name></query></iq>",
    );
    const reply = await client.next();
    expect(reply.attrs.type).toBe("error");
    expect(reply.getChild("query")?.getChildText("username")).toBe("leslie2");
    const error = reply.getChild("error");
    expect(error?.attrs).toEqual({ code: "406" });
    expect(error?.getText()).toBe("Not Acceptable");
  });

  it("answers a taken name with 409 Username Not Available", async () => {
    client.send(
      "<iq type='set' id='r4'><query xmlns='jabber:iq:register'><username>leslie</username><password>x</password></query></iq>",
    );
    const error = (await client.next()).getChild("error");
    expect([error?.attrs.code, error?.getText()]).toEqual(["409", "Username Not Available"]);
  });
});

describe("Example 7-3 and 7-2: authentication, then a password change in the session", () => {
  let client: RawClient;
  beforeAll(async () => {
    client = await rawClient(server.port, bookHeader("yak"));
  });
  afterAll(() => client.destroy());

  it("offers password, digest, sequence/token and resource for leslie", async () => {
    client.send("<iq type='get' id='a1'><query xmlns='jabber:iq:auth'><username>leslie</username></query></iq>");
    const query = (await client.next()).getChild("query", "jabber:iq:auth");
    expect(children(query)).toEqual(["username", "password", "digest", "sequence", "token", "resource"]);
    expect(query?.getChildText("username")).toBe("leslie");
    expect(query?.getChildText("sequence")).toBe("499");
    expect(query?.getChildText("token")).toMatch(/^[0-9A-F]+$/);
  });

  it("logs in with the digest of stream id + password", async () => {
    const digest = sha1hex(`${client.header.id}secret`);
    client.send(
      `<iq type='set' id='a2'><query xmlns='jabber:iq:auth'><username>leslie</username><digest>${digest}</digest><resource>Work</resource></query></iq>`,
    );
    const reply = await client.next();
    expect([reply.attrs.type, reply.attrs.id]).toEqual(["result", "a2"]);
  });

  it("changes the password with Example 7-2's IQ-set to yak", async () => {
    client.send(
      "<iq type='set' id='pass_4' to='yak'><query xmlns='jabber:iq:register'><password>newsecret</password></query></iq>",
    );
    const reply = await client.next();
    expect([reply.attrs.type, reply.attrs.id, reply.attrs.from]).toEqual(["result", "pass_4", "yak"]);
  });

  it("shows <registered/> and the username to an inquiry in the session", async () => {
    client.send("<iq type='get' id='pass_2' to='yak'><query xmlns='jabber:iq:register'/></iq>");
    const query = (await client.next()).getChild("query");
    expect(query?.getChild("registered")).toBeDefined();
    expect(query?.getChildText("username")).toBe("leslie");
  });
});
