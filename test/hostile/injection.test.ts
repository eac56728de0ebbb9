// Injection: hostile field values reach the server exactly as given, or are refused before anything is sent.
import { authenticate } from "@reguser/auth";
import { InvalidXmlCharacterError } from "@reguser/errors";
import { inquire, register } from "@reguser/register";
import { greet, type ScriptedConnection } from "@reguser/test-kit";
import type { Element } from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import { PASSWORD, withInvariants } from "./harness.js";
import { nextIq, readStanzas } from "./kit.js";

const HOSTILE: Record<string, string> = {
  markup: `<a&b>"'`,
  "a CDATA end": "x]]>y",
  "a CDATA section": "<![CDATA[<evil/>]]>",
  "an entity, already escaped": "&amp;&#0;&lt;",
  "closing tags": "</username><password>pwned</password><username>",
  "tab, LF, CR and CR LF": "a\tb\nc\rd\r\ne",
  "non-BMP characters": "𝄞😀𠜎",
  "a very long string": "λ<&".repeat(100_000),
};

const BIG_STANZA_TIMEOUT_MS = 60_000;

const REFUSED: Record<string, string> = {
  NUL: "a\u0000b",
  BEL: "\u0007",
  ESC: "x\u001b[31m",
  "U+FFFE": "\uFFFE",
  "U+FFFF": "a\uFFFF",
  "a lone high surrogate": "\uD800x",
  "a lone low surrogate": "x\uDC00",
};

/** A server that answers every IQ (fields for a get, success for a set) and keeps the queries it was sent. */
function answerAll(seen: Element[], offer: string, wire: ScriptedConnection[] = []) {
  return async (conn: ScriptedConnection) => {
    wire.push(conn);
    await greet(conn);
    readStanzas(conn, (iq) => {
      if (iq.name !== "iq") return;
      if (iq.attrs.type === "set") seen.push(iq.getChildElements()[0] as Element);
      conn.write(`<iq type='result' id='${iq.attrs.id}'>${iq.attrs.type === "get" ? offer : ""}</iq>`);
    });
  };
}

describe("hostile values are escaped on the wire", () => {
  // Megabyte stanzas take a slow, busy machine seconds to write and parse: the limits only guard against a hang.
  it("usernames, passwords and extra fields arrive exactly as given", { timeout: 4 * BIG_STANZA_TIMEOUT_MS }, () =>
    withInvariants(async (ctx) => {
      const seen: Element[] = [];
      const wire: ScriptedConnection[] = [];
      const server = await ctx.serve(answerAll(seen, "", wire));
      const stream = await ctx.open(server.port, { timeout: BIG_STANZA_TIMEOUT_MS });
      for (const value of Object.values(HOSTILE)) {
        // SASLprep refuses controls in passwords by default; `allow` sends them as they are.
        await register(stream, { username: value, password: value, name: value }, { saslprep: "allow" });
        const query = seen.at(-1) as Element;
        expect(query.getChildText("username")).toBe(value);
        expect(query.getChildText("password")).toBe(value);
        expect(query.getChildText("name")).toBe(value);
        expect(query.getChildElements().map((c) => c.name)).toEqual(["username", "password", "name"]);
      }
      expect(server.connections).toBe(1);
      // A raw CR would reach the server's parser as LF (XML 1.0 §2.11): it goes as a character reference.
      expect(wire[0]?.received()).not.toMatch(/\r/);
      expect(wire[0]?.received()).toMatch(/&#13;/);
      await stream.close();
    })(),
  );

  it("a login's username and resource arrive exactly as given", { timeout: 4 * BIG_STANZA_TIMEOUT_MS }, () =>
    withInvariants(async (ctx) => {
      const seen: Element[] = [];
      const offer = "<query xmlns='jabber:iq:auth'><password/><resource/></query>";
      const server = await ctx.serve(answerAll(seen, offer));
      const stream = await ctx.open(server.port, { timeout: BIG_STANZA_TIMEOUT_MS });
      for (const value of Object.values(HOSTILE)) {
        await authenticate(stream, { username: value, password: PASSWORD, resource: value });
        const query = seen.at(-1) as Element;
        expect(query.getChildText("username")).toBe(value);
        expect(query.getChildText("resource")).toBe(value);
        expect(query.getChildText("password")).toBe(PASSWORD);
      }
      await stream.close();
    })(),
  );
});

describe("characters XML cannot carry are refused before sending", () => {
  it.each(Object.entries(REFUSED))("%s in a username, a password, a form value", (_name, bad) =>
    withInvariants(async (ctx) => {
      const badPassword = `${PASSWORD}${bad}`;
      ctx.secret(badPassword);
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        const form =
          "<x xmlns='jabber:x:data' type='form'><field var='username'><required/></field>" +
          "<field var='password' type='text-private'><required/></field></x>";
        conn.write(
          `<iq type='result' id='${await nextIq(conn, "get")}'><query xmlns='jabber:iq:register'>${form}</query></iq>`,
        );
      });
      const stream = await ctx.open(server.port);
      const err = await ctx.rejects(register(stream, { username: bad, password: PASSWORD }), InvalidXmlCharacterError);
      expect(err.field).toBe("username");
      expect(err.message).toMatch(/U\+[0-9A-F]{4}/);
      const secret = await ctx.rejects(
        register(stream, { username: "u", password: badPassword }, { saslprep: "allow" }),
        InvalidXmlCharacterError,
      );
      expect(secret.field).toBe("password");
      expect(secret.message).not.toMatch(/index/);
      await ctx.rejects(
        authenticate(
          stream,
          { username: bad, password: PASSWORD },
          { methods: { plain: true, digest: false, resource: true } },
        ),
        InvalidXmlCharacterError,
      );
      // Through the data form the server offers.
      await inquire(stream);
      const viaForm = register(stream, { username: "u", password: badPassword }, { saslprep: "allow" });
      expect((await ctx.rejects(viaForm, InvalidXmlCharacterError)).field).toBe("password");
      expect(stream.closed).toBe(false);
      await stream.close();
      expect(server.connections).toBe(1);
    })(),
  );
});
