// An e-mail address as a mail header may carry it: RFC 5322's dot-atom on both sides of one @, within RFC 5321's
// lengths. Quoted local parts, comments and IP literals are refused: nobody signs up with them, and each is a way
// into a header.
import { GatewayError } from "../gateway-error.js";

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL = new RegExp(`^${ATOM}(\\.${ATOM})*$`);
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Returns `email` when it is a plain address; throws a `bad_request` GatewayError otherwise. */
export function checkEmail(email: string, field = "email"): string {
  const bad = (why: string) => new GatewayError("bad_request", `The ${field} ${why}`, { field });
  if (/[\r\n]/.test(email)) throw bad("may not contain a line break");
  if (email.length > 254) throw bad("is longer than 254 characters");
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1) throw bad("must be an address such as someone@example.com");
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split(".");
  if (local.length > 64 || !LOCAL.test(local)) throw bad("has a part before the @ that is not a plain address");
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    throw bad("has a domain that is not a plain host name with a dot");
  }
  return email;
}
