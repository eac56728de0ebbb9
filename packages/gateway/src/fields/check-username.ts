// RFC 7622 §3.3 localparts (the PRECIS UsernameCaseMapped profile, nodeprep's successor), checked conservatively:
// a name must already be in its canonical form (NFKC, lower case), so the account is named exactly what was asked.
import { GatewayError } from "../gateway-error.js";

const MAX_LOCALPART_BYTES = 1023;
/** RFC 7622 §3.3.1: characters a localpart may never hold, and spaces (PRECIS IdentifierClass has none). */
const FORBIDDEN = /["&'/:<>@\s]/u;
/** Controls, format characters, unassigned, private use and surrogates; separators. */
const NOT_IDENTIFIER = /[\p{C}\p{Z}]/u;

/** Returns `username` when it is a canonical JID localpart; throws a `bad_request` GatewayError naming the rule. */
export function checkUsername(username: string, field = "username"): string {
  const bad = (why: string) => new GatewayError("bad_request", `The ${field} ${why}`, { field });
  if (username.length === 0) throw bad("is empty");
  if (new TextEncoder().encode(username).length > MAX_LOCALPART_BYTES) throw bad("is longer than 1023 bytes");
  if (FORBIDDEN.test(username)) throw bad("may not contain spaces or any of \" & ' / : < > @");
  if (NOT_IDENTIFIER.test(username)) throw bad("may not contain control, format or unassigned characters");
  const canonical = username.normalize("NFKC").toLowerCase();
  if (canonical !== username) {
    throw bad("must be in lower case and Unicode NFKC form (a server would store it changed)");
  }
  return username;
}
