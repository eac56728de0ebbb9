// RFC 5802 SCRAM-SHA-1 in RFC 6120 §6.4: client-first → <challenge> server-first → client-final → <success> server-final.
import { randomBytes } from "node:crypto";
import type { ServerDeps } from "../context.js";
import { scramKeys } from "../credentials.js";
import { parseClientFinal, parseClientFirst, serverFirstMessage } from "../scram/messages.js";
import { verifyClientFinal } from "../scram/proof.js";
import {
  acceptableAuthzid,
  challenge,
  decodePayload,
  failure,
  SASL_FAILURES,
  type SaslStep,
  success,
} from "./sasl-exchange.js";

/** The SCRAM-SHA-1 exchange, checked with the stored StoredKey and signed with ServerKey: the password is not read. */
export function saslScram({
  options,
  store,
  passwords,
}: Pick<ServerDeps, "options" | "store" | "passwords">): SaslStep {
  return (auth) => {
    const decoded = decodePayload(auth);
    if ("failure" in decoded) return decoded.failure;
    const first = parseClientFirst(decoded.text);
    if (!first) return failure(SASL_FAILURES.malformedRequest);
    if (!acceptableAuthzid(first.authzid, first.username, options.domain)) {
      return failure(SASL_FAILURES.invalidAuthzid);
    }
    // As Prosody: an unknown user (or one whose password SASLprep prohibits) is refused at once.
    const credentials = scramKeys(store, first.username, passwords);
    if (!credentials) return failure(SASL_FAILURES.notAuthorized);
    const nonce = first.clientNonce + randomBytes(18).toString("base64");
    const serverFirst = serverFirstMessage(nonce, credentials);
    return challenge(serverFirst, (response) => {
      const decodedFinal = decodePayload(response);
      if ("failure" in decodedFinal) return decodedFinal.failure;
      const final = parseClientFinal(decodedFinal.text);
      if (!final) return failure(SASL_FAILURES.malformedRequest);
      const serverFinal = verifyClientFinal({ credentials, first, serverFirst, nonce, final });
      return serverFinal ? success(first.username, serverFinal) : failure(SASL_FAILURES.notAuthorized);
    });
  };
}
