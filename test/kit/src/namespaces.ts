// The XMPP error and TLS namespaces the scripted servers write, spelled out here rather than taken from
// @reguser/protocol: a test that borrowed the library's own constants would not notice a typo in them.
export const STREAMS_NS = "urn:ietf:params:xml:ns:xmpp-streams";
export const STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";
export const TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
