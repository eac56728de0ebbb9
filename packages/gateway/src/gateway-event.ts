// What the gateway tells its log: what happened, to which username, for which client, with what status. Never a
// token, a password, a link or an e-mail address; `detail` is an error's name and condition, not its message.

export type GatewayEventType =
  | "signup_link_sent"
  | "reset_link_sent"
  | "reset_not_on_record"
  | "account_created"
  | "password_set"
  | "temporary_password_sent"
  | "request_refused"
  | "mail_failed"
  | "backend_failed";

export interface GatewayEvent {
  type: GatewayEventType;
  /** The client token's id, or `page` for the gateway's own sign-up page. */
  client?: string;
  username?: string;
  /** The HTTP status answered. */
  status?: number;
  /** The GatewayError code, for a refusal. */
  code?: string;
  /** For a failure: the cause's class and condition, e.g. `ConnectionError` or `ConflictError conflict`. */
  detail?: string;
}

/** The safe part of an error for `detail`: its name and XMPP condition or code, never its message. */
export function errorDetail(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const extra = (err as { condition?: unknown; code?: unknown }).condition ?? (err as { code?: unknown }).code;
  return typeof extra === "string" || typeof extra === "number" ? `${err.name} ${extra}` : err.name;
}
