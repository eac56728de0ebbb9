// RFC 6120 §8.3 stanza errors: xmpp.js's own StanzaError and TimeoutError become reguser's typed errors.
import { type StanzaError, scrubText, TimeoutError, StanzaError as TypedStanzaError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";

/** The shape of @xmpp/middleware's StanzaError (and any @xmpp/error XMPPError): `element` is the `<error/>`. */
interface XmppJsError extends Error {
  condition?: string;
  element?: Element;
}

function isXmppJsStanzaError(err: unknown): err is XmppJsError & { element: Element } {
  const e = err as XmppJsError | undefined;
  return e instanceof Error && e.name === "StanzaError" && e.element?.name === "error";
}

/**
 * Turn what xmpp.js's iqCaller rejected with into a reguser error: a stanza error becomes the typed
 * `StanzaError` subclass (`ConflictError`…) built from the `<error/>` element, secrets scrubbed; a timeout
 * becomes `TimeoutError`; anything else is returned as it is.
 */
export function toTypedError(
  err: unknown,
  options: { operation: string; timeout: number; secrets?: readonly (string | undefined)[] },
): unknown {
  const secrets = options.secrets ?? [];
  if (isXmppJsStanzaError(err)) {
    if (err instanceof TypedStanzaError) return err;
    // The whole error IQ when the parser kept it: a change-password form travels beside the <error/>.
    const parent = err.element.parent;
    const el = parent?.name === "iq" ? parent : err.element;
    return TypedStanzaError.fromElement(el, { secrets }) satisfies StanzaError;
  }
  if (err instanceof Error && err.name === "TimeoutError" && !(err instanceof TimeoutError)) {
    return new TimeoutError(options.operation, options.timeout);
  }
  if (err instanceof Error && secrets.some((s) => s && err.message.includes(s))) {
    err.message = scrubText(err.message, secrets);
  }
  return err;
}
