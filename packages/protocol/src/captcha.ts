// XEP-0158 CAPTCHA forms in a registration inquiry, with the challenge image as XEP-0231 bits of binary
// (docs/shipped.md#captcha): ejabberd's `jabber:iq:register` form with an `ocr` field, or the older
// `urn:xmpp:captcha` form type.
import { ProtocolError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import { NS } from "./namespaces.js";
import { type DataForm, formTypeOf } from "./xep0004.js";

/** XEP-0158 §5 the fields a CAPTCHA's answer may go in, in the order a client should prefer them. */
export const CAPTCHA_ANSWER_FIELDS = [
  "ocr",
  "qa",
  "picture_q",
  "picture_recog",
  "audio_recog",
  "speech_q",
  "speech_recog",
  "video_q",
  "video_recog",
] as const;

/** The challenge image (or other media) the server sent with the form. */
export interface CaptchaMedia {
  /** Its MIME type, `image/png` say. */
  type: string;
  /** The bytes, decoded from the XEP-0231 `<data/>`. */
  bytes: Uint8Array;
  /** The content id the form's `<media/>` points at. */
  cid: string;
}

/** A CAPTCHA a registration form carries: where the answer goes, and what to show the person answering. */
export interface Captcha {
  /** The form field that takes the answer (`ocr` on ejabberd). */
  field: string;
  /** The form's FORM_TYPE: `jabber:iq:register` (ejabberd today) or `urn:xmpp:captcha` (older servers). */
  formType: string | undefined;
  /** The challenge id the form carries back (hidden `challenge` field), if any. */
  challenge: string | undefined;
  /** The image the answer field points at, when the server sent it along (XEP-0231). */
  media: CaptchaMedia | undefined;
  /** A web page showing the challenge (`captcha-fallback-url`), for whoever cannot see the image. */
  url: string | undefined;
  /** The server's words about that page (`captcha-fallback-text`). */
  text: string | undefined;
}

/**
 * The CAPTCHA of an inquiry's `<query/>` whose `form` was already read, or undefined when the form has none: a
 * form of type `urn:xmpp:captcha`, or one with a XEP-0158 answer field next to a `challenge`, or a field with media.
 */
export function parseCaptcha(query: Element, form: DataForm | undefined): Captcha | undefined {
  if (!form) return undefined;
  const byVar = new Map(form.fields.filter((f) => f.var !== undefined).map((f) => [f.var as string, f]));
  const answer =
    CAPTCHA_ANSWER_FIELDS.find((name) => byVar.has(name)) ?? form.fields.find((f) => f.media && f.var)?.var;
  const formType = formTypeOf(form);
  const isCaptcha =
    formType === NS.captcha || (answer !== undefined && (byVar.has("challenge") || byVar.get(answer)?.media));
  if (!isCaptcha || answer === undefined) return undefined;
  return {
    field: answer,
    formType,
    challenge: byVar.get("challenge")?.values[0],
    media: mediaOf(query, byVar.get(answer)?.media),
    url: byVar.get("captcha-fallback-url")?.values[0],
    text: byVar.get("captcha-fallback-text")?.values[0],
  };
}

/** The `<data/>` the field's `<media><uri>cid:…</uri></media>` points at, decoded. */
function mediaOf(query: Element, media: Element | undefined): CaptchaMedia | undefined {
  for (const uri of media?.getChildren("uri") ?? []) {
    const text = uri.getText().trim();
    if (!text.startsWith("cid:")) continue;
    const cid = text.slice("cid:".length);
    const data = query.getChildren("data", NS.bob).find((d) => d.attrs.cid === cid);
    if (!data) continue;
    const type = String(data.attrs.type ?? uri.attrs.type ?? "application/octet-stream");
    return { type, bytes: fromBase64(data.getText(), cid), cid };
  }
  return undefined;
}

/** XEP-0231's base64 payload as bytes (`atob`: the same in Node and in a browser); not base64 is a `ProtocolError`. */
function fromBase64(text: string, cid: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text.replace(/\s+/g, ""));
  } catch (err) {
    throw new ProtocolError(`The CAPTCHA's <data cid='${cid.slice(0, 100)}'/> is not base64`, { cause: err });
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
