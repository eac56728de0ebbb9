// RFC 6120 §6 SASL with RFC 4616 PLAIN: authzid NUL authcid NUL password, base64 in <auth/>.
import { NS } from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";
import type { ServerDeps, Session } from "../context.js";

export const SASL_FAILURES = {
  invalidMechanism: "invalid-mechanism",
  incorrectEncoding: "incorrect-encoding",
  malformedRequest: "malformed-request",
  invalidAuthzid: "invalid-authzid",
  notAuthorized: "not-authorized",
} as const;
export type SaslFailure = (typeof SASL_FAILURES)[keyof typeof SASL_FAILURES];

export interface SaslOutcome {
  /** `<success/>` or `<failure/>`. */
  reply: Element;
  /** Set on success: a stream restart follows. */
  username?: string | undefined;
}

export const saslFailure = (condition: SaslFailure): Element => xml("failure", { xmlns: NS.sasl }, xml(condition));
const failure = (condition: SaslFailure): SaslOutcome => ({ reply: saslFailure(condition) });

export type SaslStep = (auth: Element, session: Session) => SaslOutcome;

export function saslPlain({ options, store }: Pick<ServerDeps, "options" | "store">): SaslStep {
  return (auth) => {
    if (auth.attrs.mechanism !== "PLAIN") return failure(SASL_FAILURES.invalidMechanism);
    const text = auth.getText().trim();
    // No initial response (or "=" for an empty one): PLAIN always has one, so refuse it rather than challenge.
    if (text === "" || text === "=") return failure(SASL_FAILURES.malformedRequest);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return failure(SASL_FAILURES.incorrectEncoding);
    let message: string;
    try {
      message = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(text, "base64"));
    } catch {
      return failure(SASL_FAILURES.incorrectEncoding);
    }
    const parts = message.split("\u0000");
    if (parts.length !== 3) return failure(SASL_FAILURES.malformedRequest);
    const [authzid, username, password] = parts as [string, string, string];
    if (authzid !== "" && authzid !== `${username}@${options.domain}`) return failure(SASL_FAILURES.invalidAuthzid);
    const account = store.get(username);
    if (!account || account.password !== password) return failure(SASL_FAILURES.notAuthorized);
    return { reply: xml("success", { xmlns: NS.sasl }), username };
  };
}
