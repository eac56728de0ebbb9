// RFC 5802 §7 the SCRAM messages: client-first and client-final read, server-first written (and read, for peers).
import type { ScramCredentials } from "./keys.js";

/** The client's opening message, as far as the server needs it. */
export interface ClientFirst {
  /** `n,,`, `y,,` or with `a=authzid`: the client-final's `c=` must be its base64. */
  readonly gs2Header: string;
  readonly authzid: string | undefined;
  readonly username: string;
  readonly clientNonce: string;
  /** client-first-message-bare: the AuthMessage starts with it. */
  readonly bare: string;
}

/** The client's final message, as far as the server needs it. */
export interface ClientFinal {
  /** The `c=` value: base64 of the gs2 header (no channel binding data: we offer no -PLUS). */
  readonly channelBinding: string;
  readonly nonce: string;
  readonly proof: Buffer;
  /** client-final-message-without-proof: the AuthMessage ends with it. */
  readonly withoutProof: string;
}

/** What a client reads from the server's first message. */
export interface ServerFirst {
  readonly nonce: string;
  readonly salt: Buffer;
  readonly iterationCount: number;
}

/** printable: %x21-2B / %x2D-7E (anything visible but a comma). */
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** saslname: `=2C` is a comma and `=3D` an equals sign; any other `=`, an empty name or a NUL is malformed. */
export function decodeSaslname(text: string): string | undefined {
  if (text === "" || text.includes("\u0000") || /=(?!2C|3D)/.test(text)) return undefined;
  return text.replace(/=2C|=3D/g, (escaped) => (escaped === "=2C" ? "," : "="));
}

/** The saslname form of a name: `=` as `=3D`, `,` as `=2C`. */
export const encodeSaslname = (name: string): string => name.replace(/=/g, "=3D").replace(/,/g, "=2C");

/** The value of attribute `name` in `part` (`n=value`), or undefined when the part is another attribute. */
const attribute = (part: string | undefined, name: string): string | undefined =>
  part?.startsWith(`${name}=`) ? part.slice(name.length + 1) : undefined;

/** gs2-header then client-first-message-bare; undefined when any part is malformed or unsupported. */
export function parseClientFirst(message: string): ClientFirst | undefined {
  const [flag, authzidPart, ...bareParts] = message.split(",");
  // "p=…" asks for channel binding, which needs SCRAM-SHA-1-PLUS: not offered here.
  if (flag !== "n" && flag !== "y") return undefined;
  if (authzidPart === undefined || bareParts.length < 2) return undefined;
  const authzid = authzidPart === "" ? undefined : decodeSaslname(attribute(authzidPart, "a") ?? "");
  if (authzidPart !== "" && authzid === undefined) return undefined;
  // §5.1: "m" is reserved for a mandatory extension; a server that sees it must fail the authentication.
  const [userPart, noncePart] = bareParts;
  const username = decodeSaslname(attribute(userPart, "n") ?? "");
  const clientNonce = attribute(noncePart, "r");
  if (username === undefined || clientNonce === undefined || !PRINTABLE.test(clientNonce)) return undefined;
  return { gs2Header: `${flag},${authzidPart},`, authzid, username, clientNonce, bare: bareParts.join(",") };
}

/** `r=client+server nonce,s=salt,i=count`. */
export const serverFirstMessage = (nonce: string, credentials: Pick<ScramCredentials, "salt" | "iterationCount">) =>
  `r=${nonce},s=${credentials.salt},i=${credentials.iterationCount}`;

/** What a client reads from the server-first message; undefined when malformed. */
export function parseServerFirst(message: string): ServerFirst | undefined {
  const [noncePart, saltPart, countPart] = message.split(",");
  const nonce = attribute(noncePart, "r");
  const salt = attribute(saltPart, "s");
  const count = attribute(countPart, "i");
  if (!nonce || !salt || !BASE64.test(salt) || !count || !/^[1-9]\d{0,8}$/.test(count)) return undefined;
  return { nonce, salt: Buffer.from(salt, "base64"), iterationCount: Number(count) };
}

/** `c=…,r=…[,extensions],p=…`; undefined when malformed (the proof must come last). */
export function parseClientFinal(message: string): ClientFinal | undefined {
  const parts = message.split(",");
  const proof = attribute(parts.at(-1), "p");
  const channelBinding = attribute(parts[0], "c");
  const nonce = attribute(parts[1], "r");
  if (parts.length < 3 || proof === undefined || channelBinding === undefined || nonce === undefined) return undefined;
  if (!proof || !BASE64.test(proof) || !BASE64.test(channelBinding)) return undefined;
  return { channelBinding, nonce, proof: Buffer.from(proof, "base64"), withoutProof: parts.slice(0, -1).join(",") };
}
