import xml, { type Element } from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  ConflictError,
  createStanzaError,
  FeatureNotImplementedError,
  ForbiddenError,
  LEGACY_CODES,
  NotAuthorizedError,
  ResourceConstraintError,
  STANZA_CONDITIONS,
  STANZA_ERROR_CLASSES,
  STANZAS_NS,
  StanzaError,
  StreamError,
  UndefinedConditionError,
  XmppError,
} from "../src/index.js";

const legacy = (code: string, text?: string) => xml("iq", { type: "error" }, xml("error", { code }, text ?? ""));
const modern = (type: string, condition: string, text?: string) =>
  xml(
    "iq",
    { type: "error" },
    xml("error", { type }, xml(condition, { xmlns: STANZAS_NS }), text ? xml("text", { xmlns: STANZAS_NS }, text) : ""),
  );

describe("StanzaError.fromElement", () => {
  it.each(Object.entries(LEGACY_CODES))("maps legacy code %s alone to its condition", (code, info) => {
    const err = StanzaError.fromElement(legacy(code, info.text));
    expect(err.code).toBe(Number(code));
    expect(err.condition).toBe(info.condition);
    expect(err.type).toBe(info.type);
    expect(err).toBeInstanceOf(STANZA_ERROR_CLASSES[info.condition]);
  });

  it.each(Object.entries(STANZA_CONDITIONS))("maps condition %s alone and fills in the code", (condition, info) => {
    const err = StanzaError.fromElement(modern(info.type, condition));
    expect(err.condition).toBe(condition);
    expect(err.code).toBe(info.code);
    expect(err.type).toBe(info.type);
    expect(err).toBeInstanceOf(STANZA_ERROR_CLASSES[condition as keyof typeof STANZA_ERROR_CLASSES]);
    expect(err).toBeInstanceOf(StanzaError);
    expect(err).toBeInstanceOf(XmppError);
    expect(err).toBeInstanceOf(Error);
  });

  it("reads jabberd 1.4's code-only conflict as the book shows it", () => {
    const err = StanzaError.fromElement(legacy("409", "Username Not Available"));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toBe("Username Not Available (409 conflict)");
    expect(err.text).toBe("Username Not Available");
  });

  it("reads jabberd2's bare <error code='401'/>", () => {
    const err = StanzaError.fromElement(legacy("401"));
    expect(err).toBeInstanceOf(NotAuthorizedError);
    expect(err.message).toBe("Not authorized (401 not-authorized)");
    expect(err.type).toBe("auth");
  });

  it("lets the condition win when code and condition disagree (XEP-0077's 401 + forbidden)", () => {
    const el = xml("iq", {}, xml("error", { code: "401", type: "auth" }, xml("forbidden", { xmlns: STANZAS_NS })));
    const err = StanzaError.fromElement(el);
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.condition).toBe("forbidden");
    expect(err.code).toBe(401);
  });

  it("keeps both halves when a server sends both", () => {
    const el = xml("error", { code: "501", type: "cancel" }, xml("feature-not-implemented", { xmlns: STANZAS_NS }));
    const err = StanzaError.fromElement(el);
    expect(err).toBeInstanceOf(FeatureNotImplementedError);
    expect([err.code, err.condition, err.type]).toEqual([501, "feature-not-implemented", "cancel"]);
  });

  it("maps Prosody's throttle to ResourceConstraintError with type wait", () => {
    const err = StanzaError.fromElement(modern("wait", "resource-constraint", "Too many registrations"));
    expect(err).toBeInstanceOf(ResourceConstraintError);
    expect(err.type).toBe("wait");
    expect(err.message).toBe("Too many registrations (500 resource-constraint)");
  });

  it("keeps an unknown code as undefined-condition with the code", () => {
    const err = StanzaError.fromElement(legacy("599", "Weird"));
    expect(err).toBeInstanceOf(UndefinedConditionError);
    expect(err.code).toBe(599);
    expect(err.message).toBe("Weird (599 undefined-condition)");
  });

  it("keeps an unknown condition name on a plain StanzaError", () => {
    const err = StanzaError.fromElement(modern("cancel", "made-up-condition"));
    expect(err.constructor).toBe(StanzaError);
    expect(err.condition).toBe("made-up-condition");
    expect(err.code).toBeUndefined();
  });

  it("treats an error with neither code nor condition as undefined-condition", () => {
    const err = StanzaError.fromElement(xml("iq", { type: "error" }, xml("error")));
    expect(err).toBeInstanceOf(UndefinedConditionError);
    expect(err.code).toBe(500);
  });

  it("prefers the known condition when several are sent, and English text", () => {
    const el = xml(
      "error",
      { type: "modify" },
      xml("bogus", { xmlns: STANZAS_NS }),
      xml("bad-request", { xmlns: STANZAS_NS }),
      xml("text", { xmlns: STANZAS_NS, "xml:lang": "de" }, "Falsche Anfrage"),
      xml("text", { xmlns: STANZAS_NS, "xml:lang": "en" }, "Wrong request"),
    );
    const err = StanzaError.fromElement(el);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.text).toBe("Wrong request");
  });

  it("removes echoed passwords from the raw element and the text (trap 7)", () => {
    const reply = xml(
      "iq",
      { type: "error" },
      xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, "dj"), xml("password", {}, "s3cret!")),
      xml(
        "error",
        { code: "409", type: "cancel" },
        xml("conflict", { xmlns: STANZAS_NS }),
        xml("text", { xmlns: STANZAS_NS }, "dj/s3cret! taken"),
      ),
    );
    const err = StanzaError.fromElement(reply, { secrets: ["s3cret!"] });
    const everything = `${err.message} ${err.text} ${err.element?.toString()} ${err.stack}`;
    expect(everything).not.toContain("s3cret!");
    expect(err.element?.getChild("query")?.getChildText("username")).toBe("dj");
    expect(reply.toString()).toContain("s3cret!"); // the original is left alone
  });
});

describe("StanzaError.toElement", () => {
  const roundTrip = (el: Element) => StanzaError.fromElement(el);
  it.each(Object.keys(STANZA_CONDITIONS))("round-trips %s in every style", (condition) => {
    const err = createStanzaError({ condition, text: "Because" });
    const modernBack = roundTrip(err.toElement("modern"));
    expect([modernBack.condition, modernBack.type, modernBack.text]).toEqual([condition, err.type, "Because"]);
    const both = err.toElement("both");
    expect(roundTrip(both)).toMatchObject({ condition, code: err.code, type: err.type, text: "Because" });
    const legacyEl = err.toElement("legacy");
    expect(legacyEl.getChildElements()).toHaveLength(0);
    expect(legacyEl.attrs.type).toBeUndefined();
    if (err.code !== undefined) expect(legacyEl.attrs.code).toBe(String(err.code));
  });

  it("writes the book's legacy 409", () => {
    const err = new ConflictError({ text: "Username Not Available" });
    expect(err.toElement("legacy").toString()).toBe('<error code="409">Username Not Available</error>');
  });

  it("writes both: the text directly inside <error> for era clients, and condition and <text/> for modern ones", () => {
    const both = new ConflictError({ text: "Username Not Available" }).toElement("both");
    expect(both.toString()).toBe(
      `<error code="409" type="cancel">Username Not Available<conflict xmlns="${STANZAS_NS}"/>` +
        `<text xmlns="${STANZAS_NS}">Username Not Available</text></error>`,
    );
    expect(both.getText()).toBe("Username Not Available");
    const back = StanzaError.fromElement(both);
    expect(back).toBeInstanceOf(ConflictError);
    expect([back.code, back.type, back.text]).toEqual([409, "cancel", "Username Not Available"]);
  });
});

describe("StreamError", () => {
  it("reads Prosody's account-deleted error", () => {
    const el = xml(
      "stream:error",
      {},
      xml("not-authorized", { xmlns: "urn:ietf:params:xml:ns:xmpp-streams" }),
      xml("text", { xmlns: "urn:ietf:params:xml:ns:xmpp-streams" }, "Account deleted"),
    );
    const err = StreamError.fromElement(el);
    expect([err.condition, err.text]).toEqual(["not-authorized", "Account deleted"]);
    expect(err.message).toBe("Stream error: not-authorized – Account deleted");
  });

  it("normalises jabberd2's xml-not-well-formed and reads see-other-host", () => {
    const ns = "urn:ietf:params:xml:ns:xmpp-streams";
    expect(StreamError.fromElement(xml("stream:error", {}, xml("xml-not-well-formed", { xmlns: ns }))).condition).toBe(
      "not-well-formed",
    );
    const moved = StreamError.fromElement(xml("stream:error", {}, xml("see-other-host", { xmlns: ns }, "[::1]:5223")));
    expect(moved.seeOtherHost).toBe("[::1]:5223");
    expect(StreamError.fromElement(moved.toElement()).seeOtherHost).toBe("[::1]:5223");
  });
});
