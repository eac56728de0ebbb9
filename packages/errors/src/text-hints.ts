// Fixes known from what a server says, where the condition alone does not tell (docs/shipped.md).

/** A server's words, and what to change when it says them. */
export interface TextHint {
  /** The stanza or stream error condition it comes with. */
  condition: string;
  /** What the server's text says. */
  text: RegExp;
  /** What to change. */
  hint: string;
}

/** The texts with a known fix: Prosody's required encryption, with TLS on offer or without. */
export const TEXT_HINTS: readonly TextHint[] = [
  {
    condition: "policy-violation",
    text: /encryption is required/i,
    hint:
      "the server accepts nothing on an unencrypted stream (Prosody's `c2s_require_encryption`, on by default): " +
      "connect with `tls: 'auto'` or `'starttls'` (CLI: --tls auto), not `'none'`",
  },
  {
    condition: "undefined-condition",
    text: /no stream features to proceed with/i,
    hint:
      "the server requires encryption but has no certificate to offer STARTTLS with: give it one, or set " +
      "`c2s_require_encryption = false` (Prosody)",
  },
];

/** The fix for `text` under `condition`, if one is known. */
export function textHint(condition: string, text: string | undefined): string | undefined {
  if (!text) return undefined;
  return TEXT_HINTS.find((h) => h.condition === condition && h.text.test(text))?.hint;
}
