// Random ids and tokens from Web Crypto (`crypto.getRandomValues`), the same in Node 20 and in a browser.

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  const values = globalThis.crypto.getRandomValues(new Uint8Array(bytes));
  let hex = "";
  for (const byte of values) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
