// RFC 6120 §4.9.3 stream error conditions.
export const STREAM_CONDITIONS = [
  "bad-format",
  "bad-namespace-prefix",
  "conflict",
  "connection-timeout",
  "host-gone",
  "host-unknown",
  "improper-addressing",
  "internal-server-error",
  "invalid-from",
  "invalid-namespace",
  "invalid-xml",
  "not-authorized",
  "not-well-formed",
  "policy-violation",
  "remote-connection-failed",
  "reset",
  "resource-constraint",
  "restricted-xml",
  "see-other-host",
  "system-shutdown",
  "undefined-condition",
  "unsupported-encoding",
  "unsupported-feature",
  "unsupported-stanza-type",
  "unsupported-version",
] as const;
export type StreamCondition = (typeof STREAM_CONDITIONS)[number];

/** jabberd2 says `xml-not-well-formed` (docs/traps.md#trap-8); older drafts used it too. */
const STREAM_ALIASES: Record<string, StreamCondition> = {
  "xml-not-well-formed": "not-well-formed",
};

/**
 * The RFC 6120 name of a stream error condition: the older names some servers still send (`xml-not-well-formed`…)
 * become the current one; any other name is returned as it is.
 */
export function normalizeStreamCondition(name: string): string {
  return STREAM_ALIASES[name] ?? name;
}
