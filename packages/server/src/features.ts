// RFC 6120 §4.3.2 the features we offer on a 1.0 stream, by where the session stands.
import { buildStreamFeatures } from "@reguser/protocol";
import type { Element } from "@xmpp/xml";
import type { Session } from "./context.js";
import { type ResolvedOptions, registrationPossible } from "./options.js";

/** Before SASL: what may still be done (a login, a registration, invites, TLS); after it, bind and session. */
export function streamFeatures(session: Session, options: ResolvedOptions): Element {
  if (session.sasl) {
    // After SASL and the restart: bind, and the old session step for clients that still want it.
    return buildStreamFeatures({
      starttls: undefined,
      mechanisms: [],
      register: false,
      iqAuth: false,
      invites: false,
      bind: true,
      session: true,
    });
  }
  const open = session.username === undefined;
  return buildStreamFeatures({
    starttls: options.tls && !session.secure && open ? { required: false } : undefined,
    mechanisms: options.sasl && open ? [...options.saslMechanisms] : [],
    register: registrationPossible(options) && open,
    iqAuth: options.authMethods.length > 0 && open,
    // mod_invites_register advertises to unauthenticated streams only.
    invites: options.invites !== undefined && open,
    bind: false,
    session: false,
  });
}
