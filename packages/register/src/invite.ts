// XEP-0445 registering with an invite: the token goes first in a <preauth/>, then the ordinary registration
// (docs/shipped.md#invites). The refusals that mean "you need an invite" or "this invite is no good" are typed.
import {
  ForbiddenError,
  InvalidOptionError,
  ItemNotFoundError,
  NotAcceptableError,
  restatedRefusal,
  StanzaError,
} from "@reguser/errors";
import type { IqOptions, IqSession } from "@reguser/iq";
import { buildPreauth, type Invite } from "@reguser/protocol";

/** The server registers only those who bring an invite (Prosody's `registration_invite_only`, mod_invites_register). */
export class InviteRequiredError extends StanzaError {
  override name = "InviteRequiredError";
  /** The typed refusal (`not-acceptable` "Registration on this server is through invitation only"). */
  constructor(refusal: StanzaError) {
    super(
      restatedRefusal(
        refusal,
        "registration here needs an invite: pass one as `invite` (an xmpp:…?register;preauth=… URI; CLI: --invite), " +
          "made by the server's admin (`prosodyctl mod_invites generate DOMAIN`, or a provisioner's `createInvite`)",
      ),
    );
  }
}

/** The server refused the invite's token: unknown, expired or spent (Prosody `forbidden`, newer ejabberd `item-not-found`). */
export class InviteInvalidError extends StanzaError {
  override name = "InviteInvalidError";
  /** The typed refusal of the `<preauth/>`. */
  constructor(refusal: StanzaError) {
    super(restatedRefusal(refusal, "the invite is unknown, expired or already used: ask for a new one"));
  }
}

/**
 * Whether `invite` can register `username` on `session`'s server; `InvalidOptionError` before anything is sent when
 * it is a contact invite that allows no registration, names another server, or fixes another name.
 */
export function checkInvite(session: Pick<IqSession, "domain">, invite: Invite, username: string): void {
  const wrong = (received: string, expected: string) =>
    new InvalidOptionError("register", "invite", received, expected);
  if (!invite.registration) throw wrong("a contact invite without ibr=y", "an invite that allows registration");
  if (invite.domain.toLowerCase() !== session.domain.toLowerCase()) {
    throw wrong(`an invite for ${invite.domain}`, `an invite for ${session.domain}`);
  }
  // Prosody 0.12 does not check a name-fixed invite itself: the client must.
  if (invite.username !== undefined && invite.username !== username) {
    throw wrong(`an invite for the username ${invite.username}`, `registered as ${invite.username}`);
  }
}

/** XEP-0445 §3: send the invite's token; a refusal of it is an `InviteInvalidError`. */
export async function sendInviteToken(session: IqSession, invite: Invite, options: IqOptions = {}): Promise<void> {
  try {
    await session.set(buildPreauth(invite.token), { ...options, to: session.domain, secrets: [invite.token] });
  } catch (err) {
    if (err instanceof ForbiddenError || err instanceof ItemNotFoundError) throw new InviteInvalidError(err);
    throw err;
  }
}

/** A registration refused for want of an invite, as an `InviteRequiredError`; anything else unchanged. */
export function asInviteRequired(err: unknown): unknown {
  if (err instanceof NotAcceptableError && /invitation only/i.test(err.text ?? "")) return new InviteRequiredError(err);
  return err;
}
