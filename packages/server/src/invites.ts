// XEP-0401 invites as Prosody 0.12's mod_invites keeps them: a random token, perhaps a name, spent by one registration.
import { randomBytes } from "node:crypto";
import { InvalidOptionError } from "@reguser/errors";
import { isValidUsername } from "./names.js";
import type { InviteSeed } from "./options.js";

/** One unspent invite. */
export interface Invite {
  readonly token: string;
  /** The account it is meant for (its URI names it); the server does not hold the registration to it. */
  readonly username: string | undefined;
  /** Registering `username` again, when it exists, sets a new password. */
  readonly reset: boolean;
}

/** What `server.invites.create` takes: an invite for any name, for one name, or to reset one account's password. */
export interface NewInvite {
  /** The account the invite is meant for: the URI names it. Required with `reset`. */
  username?: string;
  /** Registering `username` again sets a new password instead of answering 409. */
  reset?: boolean;
}

/** `server.invites`: make invites and see which are unspent (there is no expiry). */
export interface Invites {
  /** How many invites are unspent. */
  readonly size: number;
  /** Whether `token` is an unspent invite. */
  has(token: string): boolean;
  /**
   * A new invite, as its URI: `xmpp:DOMAIN?register;preauth=TOKEN`, or `xmpp:USER@DOMAIN?register;preauth=TOKEN`
   * with a username. Throws when invites are off (pass `invites` to startServer).
   */
  create(invite?: NewInvite): string;
}

/** The server's side of the invites: look one up, spend it once a registration went through. */
export interface InviteBook extends Invites {
  /** The unspent invite `token`, if it is one. */
  get(token: string): Invite | undefined;
  /** `token` can no longer be used. */
  spend(token: string): void;
}

/** What the book is made from. */
export interface InviteBookSettings {
  /** Invites on; off, `create` throws and no token is known. */
  enabled: boolean;
  /** The domain invite URIs name. */
  domain: string;
  /** Unspent invites from the start. */
  seeds: readonly (string | InviteSeed)[];
}

/** Prosody's util.id.long: 18 random bytes, base64url (24 characters). */
const TOKEN_BYTES = 18;

const INVITES_OFF = "invites are off: pass `invites` to startServer to make invite tokens";

/** The invites of one server, in memory (not in the account store: they are lost on restart). */
export function createInviteBook({ enabled, domain, seeds }: InviteBookSettings): InviteBook {
  const unspent = new Map<string, Invite>();
  for (const seed of seeds) {
    const invite = inviteOf("startServer", "invites.tokens[].", typeof seed === "string" ? { token: seed } : seed);
    unspent.set(invite.token, invite);
  }
  return {
    get size() {
      return unspent.size;
    },
    has: (token) => unspent.has(token),
    get: (token) => unspent.get(token),
    spend: (token) => {
      unspent.delete(token);
    },
    create: (request = {}) => {
      if (!enabled) throw new Error(INVITES_OFF);
      const token = randomBytes(TOKEN_BYTES).toString("base64url");
      const invite = inviteOf("invites.create", "", { ...request, token });
      unspent.set(invite.token, invite);
      return inviteUri(domain, invite);
    },
  };
}

/** `server.invites` over a book: what tests may use, without spending anything. */
export function invitesOf(book: InviteBook): Invites {
  return {
    get size() {
      return book.size;
    },
    has: (token) => book.has(token),
    create: (invite) => book.create(invite),
  };
}

/** XEP-0401's registration URI; the username percent-encoded as RFC 5122 wants a localpart. */
export function inviteUri(domain: string, { token, username }: Pick<Invite, "token" | "username">): string {
  const account = username === undefined ? domain : `${encodeURIComponent(username)}@${domain}`;
  return `xmpp:${account}?register;preauth=${encodeURIComponent(token)}`;
}

/** A seed or request checked: a token, a username a JID can carry, and one whenever the invite resets. */
function inviteOf(operation: string, prefix: string, { token, username, reset = false }: InviteSeed): Invite {
  if (typeof token !== "string" || token === "") throw new InvalidOptionError(operation, `${prefix}token`, kind(token));
  if (username !== undefined && (typeof username !== "string" || !isValidUsername(username))) {
    throw new InvalidOptionError(operation, `${prefix}username`, kind(username), "a username a JID can carry");
  }
  if (reset && username === undefined) {
    throw new InvalidOptionError(operation, `${prefix}username`, "undefined", "given with reset: true");
  }
  return { token, username, reset };
}

/** What was given, by kind only: a token is a secret, and a bad username is named by the option. */
const kind = (value: unknown) =>
  value === "" ? "an empty string" : typeof value === "string" ? "a string" : typeof value;
