// XEP-0158 CAPTCHA forms as ejabberd 23.01 writes them under `captcha_protected: true`, and the check of an answer.
import { BadRequestError, NotAllowedError } from "@reguser/errors";
import { NS } from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";
import type { CaptchaImage } from "../captcha-image.js";
import type { CaptchaBook } from "../captchas.js";
import { TEXT } from "../error-texts.js";
import type { CaptchaFormType } from "../options.js";

/** ejabberd's `<instructions>` of a CAPTCHA inquiry (the query's, beside the form). */
export const CAPTCHA_INSTRUCTIONS = "You need a client that supports x:data and CAPTCHA to register";

/** ejabberd's `captcha-fallback-text`. */
const FALLBACK_TEXT = "If you don't see the CAPTCHA image here, visit the web page.";

/** The fields of a CAPTCHA form that belong to the CAPTCHA, not to the account: never stored as its fields. */
export const CAPTCHA_FIELDS: readonly string[] = [
  "captcha-fallback-text",
  "captcha-fallback-url",
  "from",
  "challenge",
  "sid",
  "ocr",
];

/** What one CAPTCHA inquiry's answer is made of. */
export interface CaptchaInquiry {
  /** The query's `<instructions>`. */
  instructions: string;
  formType: CaptchaFormType;
  /** Fields a registration must fill besides username and password (`requiredFields`), listed after them. */
  requiredFields: readonly string[];
  /** The form's `from`: the server's domain. */
  domain: string;
  /** The host the fallback URL names. Nothing serves it: the embedded server speaks no HTTP. */
  host: string;
  /** The new challenge's id. */
  challenge: string;
  /** ejabberd's `sid`: the inquiry's stanza id, or empty. */
  sid: string;
  image: CaptchaImage;
}

/**
 * The `jabber:iq:register` query of a CAPTCHA inquiry: instructions, the form (fields in ejabberd's order, and
 * `<required/>` where ejabberd puts it), then the image as a sibling of the form.
 */
export function captchaInquiry(inquiry: CaptchaInquiry): Element {
  const { challenge, image } = inquiry;
  const field = (name: string, type: string, ...children: Element[]) => xml("field", { var: name, type }, ...children);
  const value = (text: string) => xml("value", {}, text);
  const required = () => xml("required");
  const media = xml("media", { xmlns: NS.media }, xml("uri", { type: image.type }, `cid:${image.cid}`));
  const form = xml(
    "x",
    { xmlns: NS.dataForms, type: "form" },
    field("FORM_TYPE", "hidden", value(inquiry.formType)),
    field("username", "text-single", required()),
    field("password", "text-private", required()),
    ...inquiry.requiredFields.map((name) => field(name, "text-single", required())),
    field("captcha-fallback-text", "fixed", value(FALLBACK_TEXT)),
    field("captcha-fallback-url", "text-single", value(fallbackUrl(inquiry.host, challenge))),
    field("from", "hidden", value(inquiry.domain)),
    field("challenge", "hidden", required(), value(challenge)),
    field("sid", "hidden", value(inquiry.sid)),
    field("ocr", "text-single", media, required()),
  );
  // max-age 0: the image is for this challenge only, a client must not cache it (XEP-0231 §3).
  const data = xml("data", { xmlns: NS.bob, cid: image.cid, type: image.type, "max-age": "0" }, image.base64);
  return xml("query", { xmlns: NS.register }, xml("instructions", {}, inquiry.instructions), form, data);
}

/**
 * ejabberd's process_reply over a submitted form's values: without a challenge or an answer the form is malformed
 * (400, nothing spent); else the challenge is spent, and unless it was live and the answer is what its image shows,
 * `cancel` / not-allowed.
 */
export function checkCaptcha(values: Readonly<Record<string, string>>, captchas: Pick<CaptchaBook, "spend">): void {
  const { challenge, ocr } = values;
  if (!challenge || !ocr) throw new BadRequestError({ text: TEXT.captchaMalformed });
  if (captchas.spend(challenge) !== ocr) throw new NotAllowedError({ type: "cancel", text: TEXT.captchaFailed });
}

/** ejabberd's `captcha_url` + `/ID/image`; an IPv6 host goes in brackets. */
const fallbackUrl = (host: string, challenge: string) =>
  `http://${host.includes(":") ? `[${host}]` : host}/captcha/${encodeURIComponent(challenge)}/image`;
