// Bytes as lowercase hex: what SHA-1 digests and random tokens are written as.

/** `bytes` as lowercase hex, two digits each. */
export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
