// Every XML namespace the library speaks, in one place (the three errors need come from @reguser/errors).
import { SASL_NS, STANZAS_NS, STREAMS_NS } from "@reguser/errors";

export const NS = {
  client: "jabber:client",
  stream: "http://etherx.jabber.org/streams",
  register: "jabber:iq:register",
  auth: "jabber:iq:auth",
  dataForms: "jabber:x:data",
  oob: "jabber:x:oob",
  tls: "urn:ietf:params:xml:ns:xmpp-tls",
  sasl: SASL_NS,
  bind: "urn:ietf:params:xml:ns:xmpp-bind",
  session: "urn:ietf:params:xml:ns:xmpp-session",
  stanzas: STANZAS_NS,
  streams: STREAMS_NS,
  registerFeature: "http://jabber.org/features/iq-register",
  authFeature: "http://jabber.org/features/iq-auth",
  captcha: "urn:xmpp:captcha",
  /** XEP-0231 Bits of Binary: a CAPTCHA's image travels in the stanza, named by its cid. */
  bob: "urn:xmpp:bob",
  /** XEP-0221 Data Forms Media Element: a form field's media (the CAPTCHA image the answer field points at). */
  media: "urn:xmpp:media-element",
  changePasswordForm: "jabber:iq:register:changepassword",
  sasl2: "urn:xmpp:sasl:2",
  /** XEP-0050 Ad-Hoc Commands: the `<command/>` element, and the disco node that lists them. */
  commands: "http://jabber.org/protocol/commands",
  /** XEP-0133 Service Administration: the prefix of its command nodes and its forms' `FORM_TYPE`. */
  admin: "http://jabber.org/protocol/admin",
  discoItems: "http://jabber.org/protocol/disco#items",
  /** XEP-0445 Pre-Authenticated In-Band Registration: the stream feature of a server that takes invite tokens. */
  ibrToken: "urn:xmpp:ibr-token:0",
  /** The older stream feature for the same (Prosody sends both). */
  inviteFeature: "urn:xmpp:invite",
  /** XEP-0379 Pre-Authenticated Roster Subscription: the `<preauth token='…'/>` element. */
  pars: "urn:xmpp:pars:0",
  /** XEP-0401 Easy User Onboarding: the prefix of its ad-hoc command nodes and its result form's FORM_TYPE. */
  invite: "urn:xmpp:invite",
} as const;
export type Namespace = (typeof NS)[keyof typeof NS];
