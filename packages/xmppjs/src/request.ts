// RFC 6120 §8.2.3 IQ semantics through the client's own iqCaller, with reguser's typed errors.
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
}

/** Send `iq` with `xmpp.iqCaller` and wait for its result; an error reply rejects with a typed `StanzaError`. */
export async function request(xmpp: XmppClient, iq: Element, options: IqRequest = {}): Promise<Element> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  legacyErrors(xmpp);
  try {
    return await xmpp.iqCaller.request(iq, timeout);
  } catch (err) {
    const payload = iq.getChildElements()[0];
    const operation = `IQ ${String(iq.attrs.type)}${payload?.attrs.xmlns ? ` ${String(payload.attrs.xmlns)}` : ""}`;
    throw toTypedError(err, { operation, timeout, secrets: options.secrets });
  }
}
