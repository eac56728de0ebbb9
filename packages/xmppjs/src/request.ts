// RFC 6120 §8.2.3 IQ semantics through the client's own iqCaller, with reguser's typed errors.
import { describeIq } from "@reguser/iq";
import type { Element } from "@xmpp/xml";
import type { XmppClient } from "./client.js";
import { legacyErrors } from "./legacy-errors.js";
import { toTypedError } from "./typed-error.js";

export interface RequestOptions {
  /** Milliseconds to wait for the reply. Default 10,000. */
  timeout?: number;
}

export const DEFAULT_TIMEOUT = 10_000;

export interface IqRequest extends RequestOptions {
  /** Strings to scrub from an error (the password the request carried). */
  secrets?: readonly (string | undefined)[];
  /** Throws to turn a result into a failure (see `IqOptions.check` of `@reguser/iq`). */
  check?: (result: Element) => void;
}

/** Send `iq` with `xmpp.iqCaller` and wait for its result; an error reply rejects with a typed `StanzaError`. */
export async function request(xmpp: XmppClient, iq: Element, options: IqRequest = {}): Promise<Element> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  legacyErrors(xmpp);
  let result: Element;
  try {
    result = await xmpp.iqCaller.request(iq, timeout);
  } catch (err) {
    throw toTypedError(err, { operation: describeIq(iq), timeout, secrets: options.secrets });
  }
  options.check?.(result);
  return result;
}
