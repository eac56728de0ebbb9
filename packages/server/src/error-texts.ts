// The texts errors carry, worded as jabberd 1.4 wrote them (the book's examples) where it has one, else as Prosody does.
export const TEXT = {
  badRequest: "Bad Request",
  notAcceptable: "Not Acceptable",
  usernameTaken: "Username Not Available",
  notImplemented: "Not Implemented",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  notAllowed: "Not Allowed",
  resourceInUse: "Resource Conflict",
  serviceUnavailable: "Service Unavailable",
  internal: "Internal Server Error",
  /** mod_invites_register's refusal of a registration without a validated invite. */
  inviteOnly: "Registration on this server is through invitation only",
  /** mod_invites_register's answer to a preauth token that is unknown or spent. */
  inviteInvalid: "The invite token is invalid or expired",
} as const;
export type Text = (typeof TEXT)[keyof typeof TEXT];
