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
  /** A stanza for another domain: there is no server-to-server. */
  remoteServerNotFound: "Remote Server Not Found",
  /** A `to` that cannot be a JID. */
  jidMalformed: "JID Malformed",
  internal: "Internal Server Error",
  /** mod_invites_register's refusal of a registration without a validated invite. */
  inviteOnly: "Registration on this server is through invitation only",
  /** mod_invites_register's answer to a preauth token that is unknown or spent. */
  inviteInvalid: "The invite token is invalid or expired",
  /** ejabberd's refusal of a registration that does not answer the CAPTCHA form (legacy fields). */
  captchaRequired: "A CAPTCHA is required to register",
  /** ejabberd's answer to a wrong CAPTCHA text, or a challenge that is unknown, spent or expired. */
  captchaFailed: "The CAPTCHA verification has failed",
  /** ejabberd's answer to a CAPTCHA form without its challenge or its text. */
  captchaMalformed: "Incorrect CAPTCHA submit",
} as const;
export type Text = (typeof TEXT)[keyof typeof TEXT];
