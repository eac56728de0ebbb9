// XEP-0379/0401/0445 invites: the URI an inviter hands out, and the <preauth/> token a client sends before it
// registers (docs/shipped.md#invites).
import { InvalidOptionError } from "@reguser/errors";
import xml, { type Element } from "@xmpp/xml";
import { NS } from "./namespaces.js";

/** What an invite URI says. */
export interface Invite {
  /** The URI as given. */
  uri: string;
  /** The server's XMPP domain. */
  domain: string;
  /**
   * The account name the inviter fixed (`xmpp:juliet@example.com?register;preauth=…`, a password-reset invite
   * too): the registration must use it. Undefined when the invitee picks the name, and for a roster invite, whose
   * JID is the inviter's.
   */
  username: string | undefined;
  /** The token to send in `<preauth/>`. */
  token: string;
  /** `register` (an account invite) or `roster` (a contact invite, XEP-0379). */
  action: "register" | "roster";
  /** Whether the invite lets the invitee register: every `register` invite, a `roster` one with `ibr=y`. */
  registration: boolean;
  /** The inviter's JID, for a roster invite. */
  inviter: string | undefined;
}

/**
 * Read an invite URI (RFC 5122 `xmpp:` with a XEP-0379 query): `xmpp:example.com?register;preauth=TOKEN`,
 * `xmpp:juliet@example.com?register;preauth=TOKEN`, `xmpp:romeo@example.com?roster;preauth=TOKEN;ibr=y`. Anything
 * else is an `InvalidOptionError` naming what is wrong (never the token).
 */
export function parseInviteUri(uri: string): Invite {
  const bad = (why: string) =>
    new InvalidOptionError("parseInviteUri", "uri", why, "an invite URI (xmpp:DOMAIN?register;preauth=TOKEN)");
  if (typeof uri !== "string" || !/^xmpp:/i.test(uri)) throw bad("not an xmpp: URI");
  const rest = uri.slice("xmpp:".length).split("#")[0] ?? "";
  const q = rest.indexOf("?");
  if (q < 0) throw bad("an xmpp: URI without a query (expected ?register;preauth=… or ?roster;preauth=…)");
  // An authority (`xmpp://me@host/…`) names the sender's account, not the invite's: only the path counts.
  const path = decode(rest.slice(0, q).replace(/^\/\/[^/]*\//, ""), bad);
  const [action = "", ...pairs] = rest.slice(q + 1).split(";");
  if (action !== "register" && action !== "roster")
    throw bad(`the action is '${action.slice(0, 20)}', not register or roster`);
  const params = new Map(
    pairs.map((pair) => {
      const eq = pair.indexOf("=");
      return eq < 0 ? [pair, ""] : [pair.slice(0, eq), decode(pair.slice(eq + 1), bad)];
    }),
  );
  const token = params.get("preauth");
  if (!token) throw bad("no preauth token");
  const at = path.indexOf("@");
  const domain = (at < 0 ? path : path.slice(at + 1)).split("/")[0] ?? "";
  if (!domain) throw bad("no domain");
  const local = at < 0 ? undefined : path.slice(0, at);
  return {
    uri,
    domain,
    username: action === "register" ? local : undefined,
    token,
    action,
    registration: action === "register" || params.get("ibr") === "y",
    inviter: action === "roster" && local ? `${local}@${domain}` : undefined,
  };
}

/** `invite` read, from its URI or as `parseInviteUri` already gave it. */
export function inviteOf(invite: Invite | string): Invite {
  return typeof invite === "string" ? parseInviteUri(invite) : invite;
}

/** XEP-0445 §3: the `<preauth xmlns='urn:xmpp:pars:0' token='…'/>` a client sets before it registers. */
export function buildPreauth(token: string): Element {
  return xml("preauth", { xmlns: NS.pars, token });
}

function decode(text: string, bad: (why: string) => Error): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw bad("a malformed percent-encoding");
  }
}
