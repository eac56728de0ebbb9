// RFC 6120 §4.3 stream features, and the two legacy ones this library lives on.
import xml, { type Element } from "@xmpp/xml";
import { NS } from "./namespaces.js";

export interface StreamFeatures {
  starttls: { required: boolean } | undefined;
  /** SASL mechanism names, in the server's order. */
  mechanisms: string[];
  /** `http://jabber.org/features/iq-register`: in-band registration advertised. */
  register: boolean;
  /** `http://jabber.org/features/iq-auth`: non-SASL authentication advertised. */
  iqAuth: boolean;
  /**
   * XEP-0445 `urn:xmpp:ibr-token:0` (or the older `urn:xmpp:invite`): the server takes invite tokens
   * (`<preauth/>`) before a registration.
   */
  invites: boolean;
  bind: boolean;
  session: boolean;
  /** The element as received, for anything else. */
  element: Element | undefined;
}

export const NO_FEATURES: StreamFeatures = Object.freeze({
  starttls: undefined,
  mechanisms: [],
  register: false,
  iqAuth: false,
  invites: false,
  bind: false,
  session: false,
  element: undefined,
});

/**
 * RFC 6120 §4.3.2: read a `<stream:features/>` element (STARTTLS, SASL mechanisms, the register and iq-auth features,
 * bind, session); the element is kept as `element`.
 */
export function parseStreamFeatures(el: Element): StreamFeatures {
  const starttls = el.getChild("starttls", NS.tls);
  const mechanisms = el.getChild("mechanisms", NS.sasl);
  return {
    starttls: starttls ? { required: starttls.getChild("required") !== undefined } : undefined,
    mechanisms: mechanisms ? mechanisms.getChildren("mechanism").map((m) => m.getText().trim()) : [],
    register: el.getChild("register", NS.registerFeature) !== undefined,
    iqAuth: el.getChild("auth", NS.authFeature) !== undefined,
    invites:
      el.getChild("register", NS.ibrToken) !== undefined || el.getChild("register", NS.inviteFeature) !== undefined,
    bind: el.getChild("bind", NS.bind) !== undefined,
    session: el.getChild("session", NS.session) !== undefined,
    element: el,
  };
}

/**
 * Build the `<stream:features/>` element a server sends for `features` (the server's side of `parseStreamFeatures`).
 */
export function buildStreamFeatures(features: Omit<StreamFeatures, "element">): Element {
  const el = xml("stream:features");
  if (features.starttls) {
    el.cnode(xml("starttls", { xmlns: NS.tls }, features.starttls.required ? xml("required") : ""));
  }
  if (features.mechanisms.length > 0) {
    el.cnode(xml("mechanisms", { xmlns: NS.sasl }, ...features.mechanisms.map((m) => xml("mechanism", {}, m))));
  }
  if (features.register) el.cnode(xml("register", { xmlns: NS.registerFeature }));
  if (features.iqAuth) el.cnode(xml("auth", { xmlns: NS.authFeature }));
  if (features.invites) {
    // Both, as Prosody sends them: the older feature for the clients that know only that one.
    el.cnode(xml("register", { xmlns: NS.inviteFeature }));
    el.cnode(xml("register", { xmlns: NS.ibrToken }));
  }
  if (features.bind) el.cnode(xml("bind", { xmlns: NS.bind }));
  if (features.session) el.cnode(xml("session", { xmlns: NS.session }));
  return el;
}
