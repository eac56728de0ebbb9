// XEP-0401 §6 an invitee's side: register on the invite's server with its token (XEP-0445), under the name it fixes.
import { InvalidOptionError } from "@reguser/errors";
import { type Invite, inviteOf } from "@reguser/protocol";
import type { RegisterOptions } from "@reguser/register";
import type { OpenStreamOptions } from "@reguser/stream";
import { createAccount } from "./create-account.js";

export interface RedeemInviteOptions
  extends Partial<OpenStreamOptions>,
    Pick<RegisterOptions, "saslprep" | "useForm" | "timeout" | "signal"> {
  /** The new account's password (for a password-reset invite, the account's new password). */
  password: string;
  /** The name to register, when the invite leaves it to the invitee; it must match a name the invite fixes. */
  username?: string | undefined;
}

/** The account an invite made. */
export interface RedeemedInvite {
  username: string;
  /** `username@domain`. */
  jid: string;
}

/**
 * Register with `invite` (a URI or `parseInviteUri`'s result): connect to its domain (or `host`/`port` given in
 * `options`), send its token, then register `username` (the invite's own when it fixes one) with `password`. A
 * password-reset invite for an existing account sets its new password. Before anything is sent: `InvalidOptionError`
 * for no password, no name where the invite fixes none, another name than the one it fixes, or a contact invite
 * that allows no registration. The server's refusal of the token is an `InviteInvalidError`.
 */
export async function redeemInvite(invite: Invite | string, options: RedeemInviteOptions): Promise<RedeemedInvite> {
  const parsed = inviteOf(invite);
  const username = parsed.username ?? options.username;
  if (!username) {
    throw new InvalidOptionError(
      "redeemInvite",
      "username",
      "undefined",
      "the name to register (the invite fixes none)",
    );
  }
  if (options.username !== undefined && options.username !== username) {
    throw new InvalidOptionError("redeemInvite", "username", `${options.username}`, `${username}, the invite's name`);
  }
  const { password, username: _name, saslprep, useForm, timeout, signal, ...connect } = options;
  // Over WebSocket the URL is the destination; over TCP the invite's domain is the host unless one is given.
  const where = connect.url === undefined ? { host: connect.host ?? parsed.domain } : {};
  const target = { ...connect, timeout, signal, ...where, domain: parsed.domain };
  // createAccount without an admin path: any refusal (the token's, invite-only, a taken name) is the failure.
  await createAccount(target, { username, password }, { saslprep, useForm, timeout, signal, invite: parsed });
  return { username, jid: `${username}@${parsed.domain}` };
}
