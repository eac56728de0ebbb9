// RFC 7622 §3.1 the address of a stanza: [localpart@]domainpart[/resourcepart], read plainly (no stringprep).
import { isValidResource, isValidUsername } from "../names.js";

/** A `to` as the router reads it; the domain lower-cased, the localpart and resource exactly as written. */
export interface Jid {
  local: string | undefined;
  domain: string;
  resource: string | undefined;
}

/** `text` read as a JID, or undefined when it cannot be one (an empty part, a forbidden character). */
export function parseJid(text: string): Jid | undefined {
  const slash = text.indexOf("/");
  const head = slash < 0 ? text : text.slice(0, slash);
  const resource = slash < 0 ? undefined : text.slice(slash + 1);
  const at = head.indexOf("@");
  const local = at < 0 ? undefined : head.slice(0, at);
  // §3.2: a trailing dot is not part of the domain.
  const domain = (at < 0 ? head : head.slice(at + 1)).replace(/\.$/, "").toLowerCase();
  if (!isValidDomain(domain)) return undefined;
  if (local !== undefined && !isValidUsername(local)) return undefined;
  if (resource !== undefined && !isValidResource(resource)) return undefined;
  return { local, domain, resource };
}

/** `local@domain`, the account a full JID belongs to. */
export const bareJid = (jid: Jid): string => (jid.local === undefined ? jid.domain : `${jid.local}@${jid.domain}`);

// biome-ignore lint/suspicious/noControlCharactersInRegex: controls are exactly what is refused
const DOMAIN_FORBIDDEN = /[\s"&'/:<>@\u0000-\u001f\u007f]/u;

function isValidDomain(domain: string): boolean {
  const bytes = Buffer.byteLength(domain, "utf8");
  return bytes > 0 && bytes <= 1023 && !DOMAIN_FORBIDDEN.test(domain);
}
