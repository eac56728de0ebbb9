// jabber:iq:register out of a session: the inquiry, the attempt, the book's order of checks, the error styles.
import { describe, expect, it } from "vitest";
import { bookHeader } from "./helpers/raw-client.js";
import { AUTH, iq, REGISTER, registerText, useServers } from "./helpers/server.js";

const { start, connect } = useServers();
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

describe("the inquiry", () => {
  it("lists instructions, the configured fields, then always username and password", async () => {
    const server = await start({ fields: ["email", "nick"], instructions: "Sign up here." });
    const client = await connect(server);
    client.send(iq("get", "q1", REGISTER));
    const reply = await client.next();
    expect([reply.attrs.type, reply.attrs.id]).toEqual(["result", "q1"]);
    const query = reply.getChild("query", REGISTER);
    expect(query?.getChildElements().map((c) => c.name)).toEqual([
      "instructions",
      "email",
      "nick",
      "username",
      "password",
    ]);
    expect(query?.getChildText("instructions")).toBe("Sign up here.");
  });
});

describe("the attempt", () => {
  it("creates the user, stores the other fields, and allows several registrations then a login on one stream", async () => {
    const server = await start();
    const client = await connect(server);
    for (const name of ["ann", "bob"]) {
      client.send(iq("set", name, REGISTER, registerText(name, "pw", "<email>x@y</email>")));
      expect((await client.next()).attrs).toMatchObject({ type: "result", id: name });
    }
    expect(server.users.usernames()).toEqual(["ann", "bob"]);
    expect(server.users.get("ann")?.fields).toEqual({ email: "x@y" });
    client.send(iq("set", "l", AUTH, "<username>bob</username><password>pw</password><resource>r</resource>"));
    expect((await client.next()).attrs.type).toBe("result");
  });

  it("answers 406 for a missing username, a missing password, an empty one or a username no JID can carry", async () => {
    const server = await start();
    const client = await connect(server);
    const attempts = [
      "<password>pw</password>",
      "<username>ann</username>",
      "<username>ann</username><password></password>",
      registerText("a@b", "pw"),
      registerText("with space", "pw"),
    ];
    for (const [i, children] of attempts.entries()) {
      client.send(iq("set", `a${i}`, REGISTER, children));
      const error = (await client.next()).getChild("error");
      expect([error?.attrs.code, error?.attrs.type, error?.getChild("not-acceptable", STANZAS)]).toEqual([
        "406",
        "modify",
        expect.anything(),
      ]);
    }
    expect(server.users.size).toBe(0);
  });

  it("answers 409 for a taken username and keeps the first password", async () => {
    const server = await start({ accounts: [{ username: "ann", password: "first" }] });
    const client = await connect(server);
    client.send(iq("set", "dup", REGISTER, registerText("ann", "second")));
    const error = (await client.next()).getChild("error");
    expect([error?.attrs.code, error?.getChildText("text", STANZAS)]).toEqual(["409", "Username Not Available"]);
    client.send(iq("set", "l", AUTH, "<username>ann</username><password>first</password><resource>r</resource>"));
    expect((await client.next()).attrs.type).toBe("result");
  });

  it("refuses a registration that misses a required configured field (406), after username/password", async () => {
    const server = await start({ fields: ["name", "email"], requiredFields: ["email"] });
    const client = await connect(server);
    client.send(iq("set", "r1", REGISTER, registerText("ann", "pw")));
    expect((await client.next()).getChild("error")?.attrs.code).toBe("406");
    client.send(iq("set", "r2", REGISTER, registerText("ann", "pw", "<email>a@b</email>")));
    expect((await client.next()).attrs.type).toBe("result");
  });

  it("with registration off: 501 on the get; on the set 406, then 409, then 501 (the book's quirks)", async () => {
    const server = await start({ registration: false, accounts: [{ username: "taken", password: "pw" }] });
    const client = await connect(server);
    const codes: (string | undefined)[] = [];
    for (const request of [
      iq("get", "g", REGISTER),
      iq("set", "s1", REGISTER, "<username>new</username>"),
      iq("set", "s2", REGISTER, registerText("taken", "pw")),
      iq("set", "s3", REGISTER, registerText("new", "pw")),
    ]) {
      client.send(request);
      const error = (await client.next()).getChild("error");
      codes.push(`${error?.attrs.code} ${error?.getChildElements()[0]?.name}`);
    }
    expect(codes).toEqual([
      "501 feature-not-implemented",
      "406 not-acceptable",
      "409 conflict",
      "501 feature-not-implemented",
    ]);
    expect(server.users.has("new")).toBe(false);
  });

  it("does not offer the register feature when registration is off", async () => {
    const server = await start({ registration: false });
    const { features } = await connect(server);
    expect(features?.getChild("register", "http://jabber.org/features/iq-register")).toBeUndefined();
    expect(features?.getChild("auth", "http://jabber.org/features/iq-auth")).toBeDefined();
  });
});

describe("error styles", () => {
  const conflict = async (errors: "legacy" | "modern" | "both") => {
    const server = await start({ errors, accounts: [{ username: "ann", password: "pw" }] });
    const client = await connect(server, bookHeader(server.domain));
    client.send(iq("set", "dup", REGISTER, registerText("ann", "pw")));
    return (await client.next()).getChild("error");
  };

  it("legacy: <error code='409'>Username Not Available</error>, no type, no condition (jabberd 1.4)", async () => {
    const error = await conflict("legacy");
    expect(error?.attrs).toEqual({ code: "409" });
    expect(error?.getChildElements()).toEqual([]);
    expect(error?.getText()).toBe("Username Not Available");
  });

  it("modern: type='cancel', <conflict/> and <text> (Prosody), no code", async () => {
    const error = await conflict("modern");
    expect(error?.attrs).toEqual({ type: "cancel" });
    expect(error?.getChildElements().map((c) => [c.name, c.attrs.xmlns, c.getText()])).toEqual([
      ["conflict", STANZAS, ""],
      ["text", STANZAS, "Username Not Available"],
    ]);
  });

  it("both (the default): code, type, the legacy text directly inside, condition and <text>", async () => {
    const error = await conflict("both");
    expect(error?.attrs).toEqual({ code: "409", type: "cancel" });
    // Net::Jabber's GetError() reads only text written directly inside <error>: the book prints it.
    expect(error?.getText()).toBe("Username Not Available");
    expect(error?.getChild("conflict", STANZAS)).toBeDefined();
    expect(error?.getChildText("text", STANZAS)).toBe("Username Not Available");
    const server = await start({ accounts: [{ username: "ann", password: "pw" }] });
    const client = await connect(server, bookHeader(server.domain));
    client.send(iq("set", "dup", REGISTER, registerText("ann", "pw")));
    expect((await client.next()).getChild("error")?.toString()).toBe(error?.toString());
  });
});

describe("other IQs", () => {
  it("answers an unknown namespace with 503 and a get without payload with 400; ignores results", async () => {
    const server = await start();
    const client = await connect(server);
    client.send("<iq type='result' id='ignored'/>");
    client.send("<iq type='get' id='v'><query xmlns='urn:example:nobody-serves-this'/></iq>");
    const unknown = await client.next();
    expect([unknown.attrs.id, unknown.getChild("error")?.attrs.code]).toEqual(["v", "503"]);
    client.send("<iq type='get' id='e'/>");
    const empty = await client.next();
    expect([empty.attrs.id, empty.getChild("error")?.attrs.code]).toEqual(["e", "400"]);
  });
});
