// RFC 6120 §6.4 the shapes every SASL mechanism shares: failures, success, base64 payloads, the next step.
import { NS } from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";
import type { Session } from "../context.js";

/** The RFC 6120 §6.5 failure conditions this server sends. */
export const SASL_FAILURES = {
  aborted: "aborted",
  invalidMechanism: "invalid-mechanism",
  incorrectEncoding: "incorrect-encoding",
  malformedRequest: "malformed-request",
  invalidAuthzid: "invalid-authzid",
  notAuthorized: "not-authorized",
} as const;
export type SaslFailure = (typeof SASL_FAILURES)[keyof typeof SASL_FAILURES];

/** What one client message (`<auth/>` or `<response/>`) leads to. */
export interface SaslOutcome {
  /** `<success/>`, `<failure/>` or `<challenge/>`. */
  reply: Element;
  /** Set on success: a stream restart follows. */
  username?: string | undefined;
  /** Set with a challenge: handles the client's `<response/>`. */
  next?: SaslContinuation | undefined;
}

/** Handles the client's next `<response/>` in an exchange. */
export type SaslContinuation = (response: Element) => SaslOutcome;

/** Starts an exchange from `<auth mechanism='…'>`. */
export type SaslStep = (auth: Element, session: Session) => SaslOutcome;

/** `<failure><condition/></failure>`. */
export const saslFailure = (condition: SaslFailure): Element => xml("failure", { xmlns: NS.sasl }, xml(condition));
/** A failure outcome: nothing more is expected from the client. */
export const failure = (condition: SaslFailure): SaslOutcome => ({ reply: saslFailure(condition) });

/** `<success/>`, with base64 additional data when given (SCRAM's server-final message). */
export const success = (username: string, data?: string): SaslOutcome => ({
  reply: xml("success", { xmlns: NS.sasl }, data === undefined ? "" : Buffer.from(data).toString("base64")),
  username,
});

/** `<challenge/>` with base64 data; `next` handles the client's response. */
export const challenge = (data: string, next: SaslContinuation): SaslOutcome => ({
  reply: xml("challenge", { xmlns: NS.sasl }, Buffer.from(data).toString("base64")),
  next,
});

/**
 * The UTF-8 text of a base64 payload, or the failure it earns. No payload (or "=", the empty one) is refused:
 * both mechanisms here start with the client and always have something to say.
 */
export function decodePayload(el: Element): { text: string } | { failure: SaslOutcome } {
  const text = el.getText().trim();
  if (text === "" || text === "=") return { failure: failure(SASL_FAILURES.malformedRequest) };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    return { failure: failure(SASL_FAILURES.incorrectEncoding) };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(text, "base64")) };
  } catch {
    return { failure: failure(SASL_FAILURES.incorrectEncoding) };
  }
}

/** An authzid may be empty or the user's own bare JID: nobody may act for anybody else here. */
export const acceptableAuthzid = (authzid: string | undefined, username: string, domain: string) =>
  authzid === undefined || authzid === "" || authzid === `${username}@${domain}`;
