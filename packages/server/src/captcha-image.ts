// The picture a CAPTCHA form carries: one fixed PNG, named as XEP-0231 names bits of binary (by their SHA-1).
import { createHash } from "node:crypto";

/** What a CAPTCHA's `<data xmlns='urn:xmpp:bob'/>` and its media `<uri/>` say about the image. */
export interface CaptchaImage {
  /** `sha1+HEX@bob.xmpp.org`: XEP-0231's content id, HEX the SHA-1 of the bytes. */
  readonly cid: string;
  readonly type: "image/png";
  /** The bytes, base64 (the text of the `<data/>` element). */
  readonly base64: string;
}

/**
 * A 1×1 white 8-bit greyscale PNG, chunk by chunk. Nobody reads the answer off it: tests take it from
 * `server.captchas`, so a real picture of the text would only cost a renderer (ejabberd runs ImageMagick).
 */
const PNG_HEX = [
  "89504e470d0a1a0a", // signature
  "0000000d49484452000000010000000108000000003a7e9b55", // IHDR: 1×1, bit depth 8, greyscale, CRC
  "0000000a49444154789c63f80f0001010100b138f614", // IDAT: zlib of filter 0 + one 0xff pixel, CRC
  "0000000049454e44ae426082", // IEND
].join("");

/** The fixed image and its content id (a new object each call: nothing module-level to change). */
export function captchaImage(): CaptchaImage {
  const bytes = Buffer.from(PNG_HEX, "hex");
  return { cid: bobCid(bytes), type: "image/png", base64: bytes.toString("base64") };
}

/** XEP-0231 §2: a cid is the hash algorithm, `+`, the hex digest, `@bob.xmpp.org`. */
export const bobCid = (bytes: Uint8Array): string =>
  `sha1+${createHash("sha1").update(bytes).digest("hex")}@bob.xmpp.org`;
