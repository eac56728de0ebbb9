// RFC 6120 §8.3.3 and §4.9.3: where stanza and stream error conditions live.
export const STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";
export const STREAMS_NS = "urn:ietf:params:xml:ns:xmpp-streams";
