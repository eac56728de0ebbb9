// Every XML namespace the library speaks, in one place.
export const NS = {
  client: "jabber:client",
  stream: "http://etherx.jabber.org/streams",
  register: "jabber:iq:register",
  auth: "jabber:iq:auth",
  dataForms: "jabber:x:data",
  oob: "jabber:x:oob",
  tls: "urn:ietf:params:xml:ns:xmpp-tls",
  sasl: "urn:ietf:params:xml:ns:xmpp-sasl",
  bind: "urn:ietf:params:xml:ns:xmpp-bind",
  session: "urn:ietf:params:xml:ns:xmpp-session",
  stanzas: "urn:ietf:params:xml:ns:xmpp-stanzas",
  streams: "urn:ietf:params:xml:ns:xmpp-streams",
  registerFeature: "http://jabber.org/features/iq-register",
  authFeature: "http://jabber.org/features/iq-auth",
  captcha: "urn:xmpp:captcha",
  changePasswordForm: "jabber:iq:register:changepassword",
} as const;
export type Namespace = (typeof NS)[keyof typeof NS];
