// RFC 5802 §3 the proofs: the server checks ClientProof against StoredKey and signs with ServerKey; the client side
// is here too, for the RFC's worked example and for raw test peers.
import { hmac, keysOf, type ScramCredentials, saltedPassword, sameBytes, sha1 } from "./keys.js";
import { type ClientFinal, type ClientFirst, encodeSaslname, parseServerFirst } from "./messages.js";

/** AuthMessage = client-first-message-bare + "," + server-first-message + "," + client-final-message-without-proof. */
export const authMessage = (clientFirstBare: string, serverFirst: string, clientFinalWithoutProof: string) =>
  `${clientFirstBare},${serverFirst},${clientFinalWithoutProof}`;

const xor = (a: Buffer, b: Buffer): Buffer => Buffer.from(a.map((byte, i) => byte ^ (b[i] ?? 0)));

/**
 * The server's check of a client-final message: the right nonce and channel binding, and H(ClientProof XOR
 * HMAC(StoredKey, AuthMessage)) = StoredKey. Returns the server-final message (`v=ServerSignature`), or undefined.
 */
export function verifyClientFinal(input: {
  credentials: ScramCredentials;
  first: ClientFirst;
  serverFirst: string;
  /** The combined nonce the server sent. */
  nonce: string;
  final: ClientFinal;
}): string | undefined {
  const { credentials, first, serverFirst, nonce, final } = input;
  if (final.nonce !== nonce) return undefined;
  if (final.channelBinding !== Buffer.from(first.gs2Header).toString("base64")) return undefined;
  const message = authMessage(first.bare, serverFirst, final.withoutProof);
  const signature = hmac(Buffer.from(credentials.storedKey, "hex"), message);
  if (final.proof.length !== signature.length) return undefined;
  if (!sameBytes(sha1(xor(final.proof, signature)), credentials.storedKey)) return undefined;
  return `v=${hmac(Buffer.from(credentials.serverKey, "hex"), message).toString("base64")}`;
}

/** The client's first message: `n,,n=user,r=nonce` (gs2 header without authzid unless given). */
export function clientFirstMessage(username: string, clientNonce: string, authzid?: string): string {
  const gs2Header = `n,${authzid === undefined ? "" : `a=${encodeSaslname(authzid)}`},`;
  return `${gs2Header}n=${encodeSaslname(username)},r=${clientNonce}`;
}

/**
 * The client's answer to a server-first message, and the server-final it must then expect. Undefined when the
 * server-first is malformed or its nonce does not extend the client's, or SASLprep prohibits the password.
 */
export function clientFinalMessage(input: {
  password: string;
  clientFirst: string;
  serverFirst: string;
}): { message: string; expectedServerFinal: string } | undefined {
  const { password, clientFirst, serverFirst } = input;
  const [flag, authzid, ...bare] = clientFirst.split(",");
  const clientNonce = bare[1]?.slice(2) ?? "";
  const server = parseServerFirst(serverFirst);
  if (!server || !clientNonce || !server.nonce.startsWith(clientNonce)) return undefined;
  const salted = saltedPassword(password, server.salt, server.iterationCount);
  if (!salted) return undefined;
  const { clientKey, storedKey, serverKey } = keysOf(salted);
  const withoutProof = `c=${Buffer.from(`${flag},${authzid},`).toString("base64")},r=${server.nonce}`;
  const message = authMessage(bare.join(","), serverFirst, withoutProof);
  const proof = xor(clientKey, hmac(storedKey, message)).toString("base64");
  return {
    message: `${withoutProof},p=${proof}`,
    expectedServerFinal: `v=${hmac(serverKey, message).toString("base64")}`,
  };
}
