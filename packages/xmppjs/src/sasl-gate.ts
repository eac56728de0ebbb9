// RFC 6120 §4.3.2 features: hide SASL offers from xmpp.js so its stream-features chain reaches the iq-auth step.
import { NS } from "@reguser/protocol";
import type { Element } from "@xmpp/xml";
import type { XmppClient } from "./client.js";

/**
 * xmpp.js runs feature steps in the order they were added and its SASL steps never pass a `<mechanisms/>` on;
 * a plug-in added later cannot go before them. So, for features that offer iq-auth, this listener (run before
 * xmpp.js's own) removes `<mechanisms/>` and SASL2's `<authentication/>` from the element while `active()`.
 */
export function hideSaslOffers(
  xmpp: XmppClient,
  active: () => boolean,
): {
  /** Remove the listener: features reach xmpp.js unchanged again. */
  stop(): void;
} {
  const onElement = (el: Element) => {
    if (!active() || !isFeatures(el) || !el.getChild("auth", NS.authFeature)) return;
    stripSasl(el);
  };
  xmpp.prependListener("element", onElement);
  return { stop: () => xmpp.off("element", onElement) };
}

export function isFeatures(el: Element): boolean {
  return el.is("features", NS.stream);
}

/** Remove SASL and SASL2 offers from a `<stream:features/>` element, in place. */
export function stripSasl(features: Element): void {
  features.children = features.children.filter(
    (child) => typeof child === "string" || !(child.is("mechanisms", NS.sasl) || child.is("authentication", NS.sasl2)),
  );
}
