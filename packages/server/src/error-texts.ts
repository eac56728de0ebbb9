// The texts errors carry, worded as jabberd 1.4 wrote them (the book's examples) where it has one.
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
} as const;
export type Text = (typeof TEXT)[keyof typeof TEXT];
