// XEP-0158 CAPTCHA forms as ejabberd sends them (docs/shipped.md#captcha), read out of an inquiry's query.
import { createHash } from "node:crypto";
import { ProtocolError } from "@reguser/errors";
import xml from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import { parseRegistrationInfo } from "../src/index.js";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const cid = `sha1+${createHash("sha1").update(PNG).digest("hex")}@bob.xmpp.org`;

function field(v: string, type: string, value?: string, ...more: ReturnType<typeof xml>[]) {
  return xml("field", { var: v, type }, ...(value === undefined ? [] : [xml("value", {}, value)]), ...more);
}

/** ejabberd 23.01's inquiry with captcha_protected: true (`formType` as it sends it, or the older one). */
function inquiry(formType = "jabber:iq:register", withData = true) {
  const media = xml("media", { xmlns: "urn:xmpp:media-element" }, xml("uri", { type: "image/png" }, `cid:${cid}`));
  return xml(
    "query",
    { xmlns: "jabber:iq:register" },
    xml("instructions", {}, "Choose a username and password to register with this server"),
    xml(
      "x",
      { xmlns: "jabber:x:data", type: "form" },
      field("FORM_TYPE", "hidden", formType),
      field("username", "text-single", undefined, xml("required")),
      field("password", "text-private", undefined, xml("required")),
      field("captcha-fallback-text", "fixed", "If you don't see the CAPTCHA image here, visit the web page."),
      field("captcha-fallback-url", "text-single", "http://127.0.0.1:5280/captcha/123/image"),
      field("from", "hidden", "localhost"),
      field("challenge", "hidden", "123", xml("required")),
      field("sid", "hidden", ""),
      field("ocr", "text-single", undefined, media, xml("required")),
    ),
    ...(withData
      ? [xml("data", { xmlns: "urn:xmpp:bob", cid, type: "image/png", "max-age": "0" }, PNG.toString("base64"))]
      : []),
  );
}

describe("a CAPTCHA in the inquiry", () => {
  it("names the answer field, the challenge, the image and the fallback page", () => {
    const { captcha } = parseRegistrationInfo(inquiry());
    expect(captcha).toMatchObject({
      field: "ocr",
      formType: "jabber:iq:register",
      challenge: "123",
      url: "http://127.0.0.1:5280/captcha/123/image",
      text: "If you don't see the CAPTCHA image here, visit the web page.",
    });
    expect(captcha?.media).toEqual({ type: "image/png", bytes: new Uint8Array(PNG), cid });
  });

  it("refuses image data that is not base64 with a ProtocolError", () => {
    const query = inquiry();
    const data = query.getChild("data", "urn:xmpp:bob");
    if (data) data.children = ["not*base64!"];
    expect(() => parseRegistrationInfo(query)).toThrow(ProtocolError);
  });

  it("reads the older urn:xmpp:captcha form type too", () => {
    expect(parseRegistrationInfo(inquiry("urn:xmpp:captcha")).captcha?.formType).toBe("urn:xmpp:captcha");
  });

  it("has no media when the data was not sent along, and no CAPTCHA in a plain form", () => {
    const bare = parseRegistrationInfo(inquiry("jabber:iq:register", false)).captcha;
    expect(bare?.field).toBe("ocr");
    expect(bare?.media).toBeUndefined();
    const plain = xml(
      "query",
      { xmlns: "jabber:iq:register" },
      xml("x", { xmlns: "jabber:x:data", type: "form" }, field("username", "text-single")),
    );
    expect(parseRegistrationInfo(plain).captcha).toBeUndefined();
  });
});
