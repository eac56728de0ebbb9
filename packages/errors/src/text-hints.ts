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

const UNASSIGNED_IN_PASSWORD =
  "ejabberd checks passwords against the Unicode 3.2 tables of stringprep and refuses a character they lack (an " +
  "emoji, a letter added to Unicode since 2002): choose a password without one (docs/traps.md#trap-9)";

/**
 * The texts with a known fix: Prosody's required encryption, with TLS on offer or without; ejabberd's refusal of
 * a password with a character unassigned in Unicode 3.2 (406 on registration, 405 on a password change).
 */
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
  { condition: "not-acceptable", text: /password contains unacceptable characters/i, hint: UNASSIGNED_IN_PASSWORD },
  { condition: "not-allowed", text: /password contains unacceptable characters/i, hint: UNASSIGNED_IN_PASSWORD },
];

/** The fix for `text` under `condition`, if one is known. */
export function textHint(condition: string, text: string | undefined): string | undefined {
  if (!text) return undefined;
  return TEXT_HINTS.find((h) => h.condition === condition && h.text.test(text))?.hint;
}
