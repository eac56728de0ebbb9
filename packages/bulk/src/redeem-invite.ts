// XEP-0401 §6 an invitee's side: register on the invite's server with its token (XEP-0445), under the name it fixes.
import { InvalidOptionError, StanzaError } from "@reguser/errors";
import { type Invite, parseInviteUri } from "@reguser/protocol";
import { inquire, type RegisterOptions, register } from "@reguser/register";
import { type OpenStreamOptions, openStream } from "@reguser/stream";

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
  const parsed = typeof invite === "string" ? parseInviteUri(invite) : invite;
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
  const { password, username: _name, saslprep, useForm, ...connect } = options;
  const stream = await openStream({ ...connect, host: connect.host ?? parsed.domain, domain: parsed.domain });
  try {
    const iq = { timeout: options.timeout, signal: options.signal };
    // The inquiry first: it tells `register` when the server wants its data form.
    const inquiry = await inquire(stream, iq).catch((err: unknown) => {
      if (!(err instanceof StanzaError)) throw err;
      return undefined;
    });
    await register(stream, { username, password }, { ...iq, saslprep, useForm, inquiry, invite: parsed });
    return { username, jid: `${username}@${parsed.domain}` };
  } finally {
    await stream.close().catch(() => undefined);
  }
}
