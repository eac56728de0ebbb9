// RFC 6120 §8.3.3 and §4.9.3: where stanza and stream error conditions live, and §6 SASL (whose payloads are
// redacted). The namespaces errors need before @reguser/protocol exists; its NS table takes them from here.
export const STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";
export const STREAMS_NS = "urn:ietf:params:xml:ns:xmpp-streams";
export const SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
