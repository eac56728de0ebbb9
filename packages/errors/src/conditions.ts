// RFC 6120 §8.3.3 stanza error conditions, with XEP-0086's legacy codes and default types.

export const ERROR_TYPES = ["auth", "cancel", "continue", "modify", "wait"] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export interface ConditionInfo {
  /** XEP-0086 legacy code; undefined where the XEP gives none (policy-violation). */
  readonly code: number | undefined;
  readonly type: ErrorType;
  /** Human wording used when the server sends no text. */
  readonly text: string;
}

export const STANZA_CONDITIONS = {
  "bad-request": { code: 400, type: "modify", text: "Bad request" },
  conflict: { code: 409, type: "cancel", text: "Conflict" },
  "feature-not-implemented": { code: 501, type: "cancel", text: "Feature not implemented" },
  forbidden: { code: 403, type: "auth", text: "Forbidden" },
  gone: { code: 302, type: "modify", text: "Gone" },
  "internal-server-error": { code: 500, type: "wait", text: "Internal server error" },
  "item-not-found": { code: 404, type: "cancel", text: "Item not found" },
  "jid-malformed": { code: 400, type: "modify", text: "JID malformed" },
  "not-acceptable": { code: 406, type: "modify", text: "Not acceptable" },
  "not-allowed": { code: 405, type: "cancel", text: "Not allowed" },
  "not-authorized": { code: 401, type: "auth", text: "Not authorized" },
  "payment-required": { code: 402, type: "auth", text: "Payment required" },
  "policy-violation": { code: undefined, type: "modify", text: "Policy violation" },
  "recipient-unavailable": { code: 404, type: "wait", text: "Recipient unavailable" },
  redirect: { code: 302, type: "modify", text: "Redirect" },
  "registration-required": { code: 407, type: "auth", text: "Registration required" },
  "remote-server-not-found": { code: 404, type: "cancel", text: "Remote server not found" },
  "remote-server-timeout": { code: 504, type: "wait", text: "Remote server timeout" },
  "resource-constraint": { code: 500, type: "wait", text: "Resource constraint" },
  "service-unavailable": { code: 503, type: "cancel", text: "Service unavailable" },
  "subscription-required": { code: 407, type: "auth", text: "Subscription required" },
  "undefined-condition": { code: 500, type: "cancel", text: "Undefined condition" },
  "unexpected-request": { code: 400, type: "wait", text: "Unexpected request" },
} as const satisfies Record<string, ConditionInfo>;

export type StanzaCondition = keyof typeof STANZA_CONDITIONS;

/** XEP-0086 §3: what a legacy code alone means. */
export const LEGACY_CODES = {
  302: { condition: "redirect", type: "modify", text: "Redirect" },
  400: { condition: "bad-request", type: "modify", text: "Bad Request" },
  401: { condition: "not-authorized", type: "auth", text: "Not Authorized" },
  402: { condition: "payment-required", type: "auth", text: "Payment Required" },
  403: { condition: "forbidden", type: "auth", text: "Forbidden" },
  404: { condition: "item-not-found", type: "cancel", text: "Not Found" },
  405: { condition: "not-allowed", type: "cancel", text: "Not Allowed" },
  406: { condition: "not-acceptable", type: "modify", text: "Not Acceptable" },
  407: { condition: "registration-required", type: "auth", text: "Registration Required" },
  408: { condition: "remote-server-timeout", type: "wait", text: "Request Timeout" },
  409: { condition: "conflict", type: "cancel", text: "Conflict" },
  500: { condition: "internal-server-error", type: "wait", text: "Internal Server Error" },
  501: { condition: "feature-not-implemented", type: "cancel", text: "Not Implemented" },
  502: { condition: "service-unavailable", type: "wait", text: "Remote Server Error" },
  503: { condition: "service-unavailable", type: "cancel", text: "Service Unavailable" },
  504: { condition: "remote-server-timeout", type: "wait", text: "Remote Server Timeout" },
  510: { condition: "service-unavailable", type: "cancel", text: "Disconnected" },
} as const satisfies Record<number, { condition: StanzaCondition; type: ErrorType; text: string }>;

export type LegacyCode = keyof typeof LEGACY_CODES;

/** Whether `name` is one of RFC 6120 §8.3.3's stanza error conditions (`conflict`, `not-authorized`…). */
export function isStanzaCondition(name: string): name is StanzaCondition {
  return Object.hasOwn(STANZA_CONDITIONS, name);
}

/** Whether `code` is in XEP-0086's table of legacy error codes (400, 401, 409…). */
export function isLegacyCode(code: number): code is LegacyCode {
  return Object.hasOwn(LEGACY_CODES, code);
}

/** Whether `type` is an RFC 6120 §8.3.2 error type: `auth`, `cancel`, `continue`, `modify` or `wait`. */
export function isErrorType(type: string | undefined): type is ErrorType {
  return (ERROR_TYPES as readonly string[]).includes(type ?? "");
}
