// Hostile servers: error replies with unknown codes or conditions, none, several, foreign text, echoed secrets.
import { ConflictError, NotAcceptableError, REDACTED, StanzaError, UndefinedConditionError } from "@reguser/errors";
import { register } from "@reguser/register";
import { greet, STANZAS_NS } from "@reguser/test-kit";
import { describe, expect, it } from "vitest";
import { PASSWORD, withInvariants } from "./harness.js";
import { nextIq } from "./kit.js";

const cond = (name: string) => `<${name} xmlns='${STANZAS_NS}'/>`;
const text = (t: string, lang?: string) =>
  `<text xmlns='${STANZAS_NS}'${lang ? ` xml:lang='${lang}'` : ""}>${t}</text>`;

interface Case {
  error: string;
  type: typeof StanzaError;
  condition: string;
  code?: number | undefined;
  text?: string | undefined;
}

const CASES: Record<string, Case> = {
  "an unknown numeric code": {
    error: "<error code='999'>Weird</error>",
    type: UndefinedConditionError,
    condition: "undefined-condition",
    code: 999,
    text: "Weird",
  },
  "a code that is not a number": {
    error: "<error code='4o9'/>",
    type: UndefinedConditionError,
    condition: "undefined-condition",
  },
  "an unknown condition": {
    error: `<error type='cancel'>${cond("frobnicated")}</error>`,
    type: StanzaError,
    condition: "frobnicated",
  },
  "neither code nor condition": { error: "<error/>", type: UndefinedConditionError, condition: "undefined-condition" },
  "no <error/> element at all": { error: "", type: UndefinedConditionError, condition: "undefined-condition" },
  "several conditions": {
    error: `<error type='cancel'>${cond("bogus")}${cond("conflict")}${cond("not-acceptable")}</error>`,
    type: ConflictError,
    condition: "conflict",
  },
  "text in German only": {
    error: `<error type='modify'>${cond("not-acceptable")}${text("Passwort zu kurz", "de")}</error>`,
    type: NotAcceptableError,
    condition: "not-acceptable",
    text: "Passwort zu kurz",
  },
  "text in German and English": {
    error: `<error type='modify'>${cond("not-acceptable")}${text("zu kurz", "de")}${text("too short", "en")}</error>`,
    type: NotAcceptableError,
    condition: "not-acceptable",
    text: "too short",
  },
  "the password quoted in the text": {
    error: `<error code='406'>Password ${PASSWORD} is too weak</error>`,
    type: NotAcceptableError,
    condition: "not-acceptable",
    code: 406,
    text: `Password ${REDACTED} is too weak`,
  },
};

describe("error replies from a hostile server", () => {
  it.each(Object.entries(CASES))("%s", (_name, c) =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn);
        const id = await nextIq(conn, "set");
        // Echo the whole request, password included (docs/traps.md#trap-7), and the error under test.
        const request = /<query[\s\S]*<\/query>/.exec(conn.received())?.[0] ?? "";
        conn.write(`<iq type='error' id='${id}'>${request}${c.error}</iq>`);
      });
      const stream = await ctx.open(server.port);
      const err = await ctx.rejects(register(stream, { username: "x", password: PASSWORD }), c.type);
      expect(err).toMatchObject({ condition: c.condition });
      if ("code" in c) expect(err.code).toBe(c.code);
      if (c.text !== undefined) expect(err.text).toBe(c.text);
      // The raw element is kept, secrets removed.
      expect(err.element?.name).toBe("iq");
      expect(err.element?.getChild("query")?.getChildText("password")).toBe(REDACTED);
      if (c.error) expect(err.element?.getChild("error")).toBeDefined();
      expect(stream.closed).toBe(false);
      await stream.close();
    })(),
  );
});
