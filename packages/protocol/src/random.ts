// Random ids and tokens from Web Crypto (`crypto.getRandomValues`), the same in Node 20 and in a browser.
import { toHex } from "./hex.js";

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
}
