// The pure parts of @reguser/xmppjs: mechanism choice, service parsing, features and error rewriting, error mapping.
import {
  AuthMethodUnavailableError,
  ConflictError,
  NotAuthorizedError,
  type StanzaError,
  TimeoutError,
} from "@reguser/errors";
import { NS } from "@reguser/protocol";
import { MissingFieldsError, OutOfBandRegistrationError } from "@reguser/register";
import { TimeoutError as XmppJsTimeoutError } from "@xmpp/events";
import XmppJsStanzaError from "@xmpp/middleware/lib/StanzaError.js";
import { type Element, Parser } from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import {
  addLegacyCondition,
  chooseSaslMechanism,
  registrationRequest,
  streamOptionsFromService,
  stripSasl,
  toTypedError,
} from "../src/index.js";

/** Parse as xmpp.js does (its parser builds ltx/lib elements, not the ESM ltx ones: instanceof differs). */
function parse(text: string): Element {
  const parser = new Parser();
  let parsed: Element | undefined;
  parser.on("element", (el: Element) => {
    parsed ??= el;
  });
  parser.write(`<stream:stream xmlns:stream="${NS.stream}">${text}`);
  if (!parsed) throw new Error(`not parsed: ${text}`);
  return parsed;
}

const XMPP_JS_ORDER = ["SCRAM-SHA-1", "PLAIN", "ANONYMOUS"];

describe("chooseSaslMechanism", () => {
  it("takes the first offered in xmpp.js's order", () => {
    expect(chooseSaslMechanism(XMPP_JS_ORDER, { secure: false, loopback: false })).toBe("SCRAM-SHA-1");
  });
  it("allows PLAIN unencrypted only on loopback, over TLS, or when allowed", () => {
    expect(chooseSaslMechanism(["PLAIN"], { secure: false, loopback: true })).toBe("PLAIN");
    expect(chooseSaslMechanism(["PLAIN"], { secure: true, loopback: false })).toBe("PLAIN");
    expect(chooseSaslMechanism(["PLAIN"], { secure: false, loopback: false, allowInsecure: true })).toBe("PLAIN");
    expect(() => chooseSaslMechanism(["PLAIN"], { secure: false, loopback: false })).toThrow(
      AuthMethodUnavailableError,
    );
  });
  it("never falls back to ANONYMOUS (xmpp.js 0.14 would, over plaintext without SCRAM)", () => {
    expect(() => chooseSaslMechanism(["PLAIN", "ANONYMOUS"], { secure: false, loopback: false })).toThrow(
      AuthMethodUnavailableError,
    );
  });
});

describe("streamOptionsFromService", () => {
  it.each([
    ["xmpp://127.0.0.1:5333", "localhost", { host: "127.0.0.1", port: 5333, domain: "localhost", tls: "auto" }],
    [
      "xmpps://chat.example:5223",
      undefined,
      { host: "chat.example", port: 5223, domain: "chat.example", tls: "direct" },
    ],
    ["xmpp://[::1]:5222", "localhost", { host: "::1", port: 5222, domain: "localhost", tls: "auto" }],
    ["xmpp://example.org", "example.org", { host: "example.org", port: undefined, domain: "example.org", tls: "auto" }],
    ["example.org", undefined, { host: "example.org", domain: "example.org", tls: "auto" }],
    [undefined, "example.org", { host: "example.org", domain: "example.org", tls: "auto" }],
  ])("%s (domain %s)", (service, domain, expected) => {
    expect(streamOptionsFromService(service, domain)).toEqual(expected);
  });
  it("takes a WebSocket service as the stream's URL", () => {
    expect(streamOptionsFromService("wss://example.org/xmpp-websocket", undefined)).toEqual({
      url: "wss://example.org/xmpp-websocket",
      domain: "example.org",
    });
    expect(streamOptionsFromService("ws://127.0.0.1:5280/ws", "localhost")).toEqual({
      url: "ws://127.0.0.1:5280/ws",
      domain: "localhost",
    });
  });
  it("refuses other schemes and nothing at all", () => {
    expect(() => streamOptionsFromService("http://example.org/bosh", "example.org")).toThrow(/http:/);
    expect(() => streamOptionsFromService(undefined, undefined)).toThrow(TypeError);
  });
});

describe("stripSasl", () => {
  it("removes SASL and SASL2 offers and keeps the rest", () => {
    const features = parse(
      `<stream:features xmlns:stream="${NS.stream}"><mechanisms xmlns="${NS.sasl}"><mechanism>PLAIN</mechanism></mechanisms>` +
        `<authentication xmlns="urn:xmpp:sasl:2"/><auth xmlns="${NS.authFeature}"/><register xmlns="${NS.registerFeature}"/></stream:features>`,
    );
    stripSasl(features);
    expect(features.getChildElements().map((c) => c.name)).toEqual(["auth", "register"]);
  });
});

describe("addLegacyCondition", () => {
  it("gives jabberd's code-only error its XEP-0086 condition, so xmpp.js can parse it", () => {
    const iq = parse(`<iq type="error" id="a1"><error code="401"/></iq>`);
    addLegacyCondition(iq);
    const error = iq.getChild("error");
    expect(error?.getChild("not-authorized", "urn:ietf:params:xml:ns:xmpp-stanzas")).toBeDefined();
    const parsed = XmppJsStanzaError.fromElement(error as NonNullable<typeof error>);
    expect(parsed.condition).toBe("not-authorized");
    expect(toTypedError(parsed, { operation: "x", timeout: 1 })).toBeInstanceOf(NotAuthorizedError);
  });
  it("keeps legacy text and leaves modern errors and other stanzas alone", () => {
    const legacy = parse(`<iq type="error"><error code="409">Username Not Available</error></iq>`);
    addLegacyCondition(legacy);
    expect(legacy.getChild("error")?.toString()).toBe(
      `<error code="409"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/>Username Not Available</error>`,
    );
    const modern = `<iq type="error"><error type="cancel"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>`;
    const el = parse(modern);
    addLegacyCondition(el);
    expect(el.toString()).toBe(parse(modern).toString());
    const unknown = parse(`<iq type="error"><error code="999"/></iq>`);
    addLegacyCondition(unknown);
    expect(unknown.getChild("error")?.getChildElements()[0]?.name).toBe("undefined-condition");
  });
});

describe("toTypedError", () => {
  it("maps xmpp.js's StanzaError to the typed class from the whole error IQ, secrets scrubbed", () => {
    const iq = parse(
      `<iq type="error"><query xmlns="jabber:iq:register"><username>bob</username><password>s3cret!</password></query>` +
        `<error type="cancel"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">s3cret! taken</text></error></iq>`,
    );
    const err = toTypedError(XmppJsStanzaError.fromElement(iq.getChild("error") as never), {
      operation: "register",
      timeout: 1,
      secrets: ["s3cret!"],
    });
    expect(err).toBeInstanceOf(ConflictError);
    const typed = err as StanzaError;
    expect(typed.type).toBe("cancel");
    expect(typed.message).not.toContain("s3cret!");
    expect(typed.element?.toString()).not.toContain("s3cret!");
    expect(typed.element?.getChild("query")).toBeDefined();
  });
  it("maps xmpp.js's TimeoutError and leaves other errors as they are", () => {
    const timeout = toTypedError(new XmppJsTimeoutError(), { operation: "IQ set jabber:iq:register", timeout: 50 });
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect((timeout as TimeoutError).timeout).toBe(50);
    const other = new RangeError("boom");
    expect(toTypedError(other, { operation: "x", timeout: 1 })).toBe(other);
  });
});

describe("registrationRequest", () => {
  const account = { username: "alice", password: "pw-1" };
  const info = {
    fields: ["username", "password"],
    values: {},
    registered: false,
    zeroKnowledge: false,
  };
  it("answers legacy fields with the inquiry's key", () => {
    expect(registrationRequest(account, { ...info, key: "k1" }).toString()).toBe(
      `<query xmlns="jabber:iq:register"><username>alice</username><password>pw-1</password><key>k1</key></query>`,
    );
  });
  it("fills the form when only a form is offered, and names the fields still missing", () => {
    const form = {
      type: "form" as const,
      instructions: [],
      fields: [
        { var: "FORM_TYPE", type: "hidden", required: false, values: ["jabber:iq:register"], options: [] },
        { var: "username", type: "text-single", required: true, values: [], options: [] },
        { var: "password", type: "text-private", required: true, values: [], options: [] },
        { var: "ocr", type: "text-single", required: true, values: [], options: [] },
      ],
    };
    expect(() => registrationRequest(account, { ...info, fields: [], form })).toThrow(MissingFieldsError);
    const query = registrationRequest({ ...account, ocr: "7x2" }, { ...info, fields: [], form });
    expect(query.getChild("x", NS.dataForms)?.attrs.type).toBe("submit");
  });
  it("refuses web-only registration", () => {
    expect(() => registrationRequest(account, { ...info, fields: [], oobUrl: "https://example.org/join" })).toThrow(
      OutOfBandRegistrationError,
    );
  });
});
