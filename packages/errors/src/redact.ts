// Secrets never leave the library: servers echo passwords in error replies (docs/traps.md#trap-7).
import { Element } from "@xmpp/xml";
import { INSPECT } from "./inspect.js";
import { SASL_NS } from "./namespaces.js";

/** Element names whose text is a secret wherever they appear. */
const SECRET_ELEMENTS = new Set(["password", "digest", "hash", "token", "old_password"]);
/** XEP-0004 form fields whose values are secrets. */
const SECRET_FIELDS = new Set(["password", "old_password", "new_password"]);
export const REDACTED = "[redacted]";
/** Longest XML text util.inspect shows of an element. */
const INSPECT_CHARS = 300;

/**
 * An element copied with its secrets removed. It serialises as its XML text: `JSON.stringify` of a plain
 * element fails on the links from children to parents, and loggers would print the whole tree.
 */
export class RedactedElement extends Element {
  /** The XML text, for JSON. */
  toJSON(): string {
    return this.toString();
  }

  /** util.inspect: the start of the XML text. */
  [INSPECT](): string {
    const text = this.toString();
    const more = text.length - INSPECT_CHARS;
    return more > 0 ? `${text.slice(0, INSPECT_CHARS)}… (${more} more characters)` : text;
  }
}

function isSecret(el: Element): boolean {
  if (SECRET_ELEMENTS.has(el.name)) return true;
  if (el.name === "field" && SECRET_FIELDS.has(String(el.attrs.var))) return true;
  // SASL PLAIN and friends carry base64 credentials.
  return (el.name === "auth" || el.name === "response") && el.attrs.xmlns === SASL_NS;
}

/**
 * A deep copy of `el` with every secret element's text replaced by `[redacted]`,
 * and any of the given `secrets` scrubbed from all other text and attributes.
 */
export function redactElement(el: Element, secrets: readonly (string | undefined)[] = []): RedactedElement {
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(el.attrs)) attrs[key] = scrubText(String(value), secrets);
  const copy = new RedactedElement(el.name, attrs);
  const secret = isSecret(el);
  for (const child of el.children) {
    if (typeof child === "string") {
      copy.children.push(secret && child.length > 0 ? REDACTED : scrubText(child, secrets));
    } else if (secret && child.name === "value") {
      copy.cnode(new Element("value").t(REDACTED));
    } else {
      copy.cnode(redactElement(child, secrets));
    }
  }
  return copy;
}

/** Replace every occurrence of any secret in `text` (servers may quote the request). */
export function scrubText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join(REDACTED);
  }
  return out;
}
