// RFC 4616 PLAIN: authzid NUL authcid NUL password, checked against the stored SCRAM keys as Prosody checks it.
import type { ServerDeps } from "../context.js";
import { scramKeys } from "../credentials.js";
import { passwordMatches } from "../scram/keys.js";
import { acceptableAuthzid, decodePayload, failure, SASL_FAILURES, type SaslStep, success } from "./sasl-exchange.js";

/** The PLAIN exchange: one message, then success or failure. */
export function saslPlain({
  options,
  store,
  passwords,
}: Pick<ServerDeps, "options" | "store" | "passwords">): SaslStep {
  return (auth) => {
    const decoded = decodePayload(auth);
    if ("failure" in decoded) return decoded.failure;
    const parts = decoded.text.split("\u0000");
    if (parts.length !== 3) return failure(SASL_FAILURES.malformedRequest);
    const [authzid, username, password] = parts as [string, string, string];
    if (!acceptableAuthzid(authzid, username, options.domain)) return failure(SASL_FAILURES.invalidAuthzid);
    const scram = scramKeys(store, username, passwords);
    if (!scram || !passwordMatches(password, scram)) return failure(SASL_FAILURES.notAuthorized);
    return success(username);
  };
}
