// Server text on one terminal line: a hostile server's line breaks could forge result lines, and C1 controls
// (U+009B is CSI) or bidi overrides could restyle or reorder what the user reads. XML 1.0 allows all of them.
const LINE_BREAKS = /\r\n|[\r\n\t\u0085\u2028\u2029]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with line breaks and tabs as spaces, and other control characters shown as `\u009b`-style escapes. */
export function terminalSafe(text: string): string {
  return text.replace(LINE_BREAKS, " ").replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
