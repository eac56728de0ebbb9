// The server's own SHA-1, synchronous (node:crypto): it checks a digest or a 0k hash inside one handler call, where
// the client's Web Crypto version (@reguser/protocol, asynchronous) cannot run. Same math, docs/servers.md#side-by-side.
import { createHash } from "node:crypto";

/** Lowercase hex SHA-1 of the UTF-8 bytes of `text`. */
export function sha1hexSync(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

/** XEP-0078 digest of `password` on the stream `streamId`. */
export function digestSync(streamId: string, password: string): string {
  return sha1hexSync(streamId + password);
}

/** hash_N of the book's chain: sha1(sha1(password) + token), hashed `sequence` more times. */
export function chainHashSync(password: string, token: string, sequence: number): string {
  let h = sha1hexSync(sha1hexSync(password) + token);
  for (let i = 0; i < sequence; i++) h = sha1hexSync(h);
  return h;
}
