// XEP-0086 Error Condition Mappings: give jabberd's code-only errors the condition xmpp.js 0.14 needs to parse them.
import { isLegacyCode, LEGACY_CODES, STANZAS_NS } from "@reguser/errors";
import xml, { type Element } from "@xmpp/xml";
import type { XmppClient } from "./client.js";

/**
 * xmpp.js's StanzaError.fromElement reads the `<error/>`'s first child as the condition and throws a TypeError on
 * `<error code='401'/>` (jabberd2, jabberd 1.4): the request never settles and `error` fires with the TypeError.
 * This listener, run before xmpp.js's own, adds the XEP-0086 condition of the code to such errors, in place.
 * Idempotent (the client's own listener list says whether it is there); every reguser request installs it.
 */
export function legacyErrors(xmpp: XmppClient): void {
  if (xmpp.listeners("element").includes(addLegacyCondition)) return;
  xmpp.prependListener("element", addLegacyCondition);
}

/** Add the condition element a code-only `<error/>` of an error stanza lacks (undefined-condition without a code). */
export function addLegacyCondition(stanza: Element): void {
  if (stanza.attrs.type !== "error") return;
  const error = stanza.getChild("error");
  if (!error || error.getChildElements().length > 0) return;
  const code = Number(error.attrs.code);
  const condition = isLegacyCode(code) ? LEGACY_CODES[code].condition : "undefined-condition";
  error.children.unshift(xml(condition, { xmlns: STANZAS_NS }));
}
