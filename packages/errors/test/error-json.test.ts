// Errors a logger can write: toJSON and util.inspect give the public fields, the element as redacted XML, no secret.
import { Writable } from "node:stream";
import { inspect } from "node:util";
import xml from "@xmpp/xml";
import pino from "pino";
import { describe, expect, it } from "vitest";
import {
  ConflictError,
  ConnectionError,
  InvalidOptionError,
  LimitExceededError,
  NotAuthorizedError,
  requireTextOptions,
  STANZAS_NS,
  StanzaError,
  StreamError,
  TimeoutError,
  XmppError,
} from "../src/index.js";

const PASSWORD = "Tr0ub4dor&3-logged";

/** ejabberd's way: the whole request, password included, comes back inside the error reply. */
function echoingReply() {
  return xml(
    "iq",
    { type: "error", id: "r1" },
    xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, "juliet"), xml("password", {}, PASSWORD)),
    xml(
      "error",
      { code: "409", type: "cancel" },
      xml("conflict", { xmlns: STANZAS_NS }),
      xml("text", { xmlns: STANZAS_NS }, `juliet with ${PASSWORD} is taken`),
    ),
  );
}

function pinoLine(value: object): Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  pino(sink).error(value, "registration failed");
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain(PASSWORD);
  return JSON.parse(lines[0] as string);
}

describe("toJSON", () => {
  it("a StanzaError from a reply that quotes the password: the fields, the element as redacted XML", () => {
    const err = StanzaError.fromElement(echoingReply(), { secrets: [PASSWORD], hint: "pick another name" });
    const text = JSON.stringify(err);
    expect(text).not.toContain(PASSWORD);
    expect(JSON.parse(text)).toEqual({
      name: "ConflictError",
      message: "juliet with [redacted] is taken (409 conflict): pick another name",
      code: 409,
      condition: "conflict",
      type: "cancel",
      text: "juliet with [redacted] is taken",
      element: expect.stringMatching(/^<iq type="error" id="r1">.*<password>\[redacted\]<\/password>.*<\/iq>$/),
      hint: "pick another name",
    });
  });

  it("redacts an element handed to the constructor as it is", () => {
    const err = new NotAuthorizedError({ element: echoingReply() });
    expect(JSON.stringify(err)).not.toContain(PASSWORD);
    expect(err.element?.getChild("query")?.getChildText("password")).toBe("[redacted]");
  });

  it("a StreamError, and the fields of the other classes", () => {
    const stream = StreamError.fromElement(
      xml("stream:error", {}, xml("host-unknown", { xmlns: "urn:ietf:params:xml:ns:xmpp-streams" })),
    );
    expect(stream.toJSON()).toMatchObject({
      name: "StreamError",
      condition: "host-unknown",
      element: expect.any(String),
    });
    expect(new TimeoutError("the registration", 2000).toJSON()).toEqual({
      name: "TimeoutError",
      message: "the registration timed out after 2000 ms",
      operation: "the registration",
      timeout: 2000,
    });
    expect(new LimitExceededError("maxStanzaBytes", 5, 4).toJSON()).toMatchObject({
      limit: "maxStanzaBytes",
      value: 5,
      max: 4,
    });
  });

  it("follows the cause, whatever its class", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5222"), { code: "ECONNREFUSED" });
    const err = new ConnectionError("Cannot connect to 127.0.0.1:5222", { cause: refused });
    expect(err.toJSON()).toEqual({
      name: "ConnectionError",
      message: "Cannot connect to 127.0.0.1:5222",
      cause: { name: "Error", message: "connect ECONNREFUSED 127.0.0.1:5222", code: "ECONNREFUSED" },
    });
    const wrapped = new ConflictError({
      text: "taken",
      cause: StanzaError.fromElement(echoingReply(), { secrets: [PASSWORD] }),
    });
    expect(JSON.stringify(wrapped)).not.toContain(PASSWORD);
    expect(wrapped.toJSON().cause).toMatchObject({ name: "ConflictError", code: 409 });
  });

  it("keeps only the plain fields of a foreign cause (a TLS error carries the whole peer certificate)", () => {
    const tls = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
      host: "example.org",
      cert: { raw: Buffer.alloc(1200), issuerCertificate: {} },
    });
    const err = new ConnectionError("TLS handshake failed", { cause: tls });
    expect(err.toJSON().cause).toEqual({
      name: "Error",
      message: "Hostname/IP does not match certificate's altnames",
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
      host: "example.org",
    });
  });

  it("a cause chain that loops ends", () => {
    const a = new XmppError("a");
    const b = new XmppError("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(() => JSON.stringify(b)).not.toThrow();
  });
});

describe("util.inspect", () => {
  it("shows the stack and the fields, the element as its XML text and never the tree", () => {
    const err = StanzaError.fromElement(echoingReply(), { secrets: [PASSWORD] });
    const shown = inspect(err, { depth: 12, showHidden: true });
    expect(shown).toMatch(/^ConflictError: juliet with \[redacted\] is taken \(409 conflict\)\n {4}at /);
    expect(shown).toContain("condition: 'conflict'");
    expect(shown).toContain("<password>[redacted]</password>");
    expect(shown).not.toContain("parent");
    expect(shown).not.toContain(PASSWORD);
    expect(inspect(err.element)).toMatch(/^<iq /);
  });

  it("cuts a big element short", () => {
    const big = xml("iq", { type: "error" }, xml("query", {}, "x".repeat(10_000)), xml("error", { code: "500" }));
    const shown = inspect(StanzaError.fromElement(big));
    expect(shown.length).toBeLessThan(2000);
    expect(shown).toMatch(/more characters/);
  });
});

describe("a real logger (pino)", () => {
  it("logs { err } as JSON with the error's fields and without the password", () => {
    const err = StanzaError.fromElement(echoingReply(), { secrets: [PASSWORD], hint: "pick another name" });
    const line = pinoLine({ err });
    // pino names the class in `type`; the stanza error's own type is in toJSON().
    expect(line.err).toMatchObject({
      type: "ConflictError",
      message: "juliet with [redacted] is taken (409 conflict): pick another name",
      code: 409,
      condition: "conflict",
      text: "juliet with [redacted] is taken",
      hint: "pick another name",
      element: expect.stringContaining("<password>[redacted]</password>"),
    });
  });

  it("logs an argument error without the value given", () => {
    let thrown: unknown;
    try {
      requireTextOptions("register", { username: "juliet", password: "" }, { required: ["username", "password"] });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionError);
    expect(pinoLine({ err: thrown }).err).toMatchObject({
      type: "InvalidOptionError",
      message: 'register: the "password" option must be a non-empty string, got an empty string',
      option: "password",
      received: "an empty string",
    });
  });
});

describe("requireTextOptions", () => {
  const check = (given: unknown) => () =>
    requireTextOptions("authenticate", given, { required: ["username", "password"], optional: ["resource"] });

  it.each([
    [undefined, "username", "undefined"],
    [{ username: "", password: PASSWORD }, "username", "an empty string"],
    [{ username: "juliet" }, "password", "undefined"],
    [{ username: "juliet", password: 1234 }, "password", "a number"],
    [{ username: "juliet", password: [PASSWORD] }, "password", "an array"],
    [{ username: "juliet", password: PASSWORD, resource: "" }, "resource", "an empty string"],
  ])("%o: names %s and gives only the type (%s)", (given, option, received) => {
    const err = (() => {
      try {
        check(given)();
      } catch (e) {
        return e as InvalidOptionError;
      }
      throw new Error("expected a throw");
    })();
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err).toBeInstanceOf(XmppError);
    expect(err).toMatchObject({ operation: "authenticate", option, received });
    expect(err.message).toBe(`authenticate: the "${option}" option must be a non-empty string, got ${received}`);
    expect(err.message + JSON.stringify(err) + inspect(err)).not.toContain(PASSWORD);
  });

  it("lets a complete argument through, the optional one left out", () => {
    expect(check({ username: "juliet", password: PASSWORD })).not.toThrow();
  });
});
