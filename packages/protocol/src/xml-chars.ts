// XML 1.0 §2.2 Char: what a text or attribute value may hold; anything else is refused before sending.
import { InvalidXmlCharacterError } from "@reguser/errors";

/** Anything outside XML 1.0's Char production (lone surrogates included, thanks to the `u` flag). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Fields whose values are secrets: a refusal names the field, never the value or where in it. */
const SECRET_FIELDS = new Set(["password", "old_password", "new_password", "digest", "hash", "token"]);

/**
 * Whether `field` holds a secret (password, old or new password, digest, hash, token): errors then name the field and
 * never show its value.
 */
export function isSecretField(field: string): boolean {
  return SECRET_FIELDS.has(field);
}

/** Throws `InvalidXmlCharacterError` when `value` cannot be written in XML 1.0 (it would corrupt the stream). */
export function assertXmlText(field: string, value: string, secret = isSecretField(field)): void {
  const match = NOT_XML_CHAR.exec(value);
  if (!match) return;
  const what = "a character XML cannot carry (a control character, a lone surrogate, U+FFFE or U+FFFF)";
  if (secret) throw new InvalidXmlCharacterError(field, `The ${field} contains ${what}: choose another`);
  const code = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  throw new InvalidXmlCharacterError(field, `The ${field} contains U+${code} at index ${match.index}, ${what}`);
}
