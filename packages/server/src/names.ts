// RFC 7622 §3.3 localpart and §3.4 resourcepart, the plain checks a test server needs (no stringprep).
// biome-ignore lint/suspicious/noControlCharactersInRegex: controls are exactly what is refused
const LOCALPART_FORBIDDEN = /[\s"&'/:<>@\u0000-\u001f\u007f]/u;

/** A username a JID can carry: 1–1023 bytes, none of `"&'/:<>@`, no spaces or controls. */
export function isValidUsername(username: string): boolean {
  const bytes = Buffer.byteLength(username, "utf8");
  return bytes > 0 && bytes <= 1023 && !LOCALPART_FORBIDDEN.test(username);
}

/** A resource: 1–1023 bytes, no controls. */
export function isValidResource(resource: string): boolean {
  const bytes = Buffer.byteLength(resource, "utf8");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: controls are exactly what is refused
  return bytes > 0 && bytes <= 1023 && !/[\u0000-\u001f\u007f]/u.test(resource);
}
