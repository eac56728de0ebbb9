// One registered account for one test, gone again afterwards.
import {
  authenticate,
  ConflictError,
  createAccount,
  isRegistrationClosed,
  type OpenStreamOptions,
  openStream,
  type Provisioner,
  removeAccount,
  streamDomain,
  XmppError,
} from "reguser";
import { strongPassword, uniqueUsername } from "./credentials.js";

export interface ThrowawayOptions extends OpenStreamOptions {
  /** Username prefix; a random suffix makes it unique. Default `test`. */
  prefix?: string;
  /**
   * Creates and deletes the account when in-band registration is refused (switched off on the server, or
   * throttled): a `Provisioner` of `@reguser/admin`, or any object with these two of its methods. On an invite-only
   * server, its `createInvite`, when it has one, makes the invite the account registers with. A supply removes the
   * accounts it made this way in batches through its `removeUsers`, when it has one (XEP-0133 delete-user).
   */
  admin?: Pick<Provisioner, "createUser" | "removeUser"> & Partial<Pick<Provisioner, "createInvite" | "removeUsers">>;
}

export interface ThrowawayUser {
  jid: string;
  username: string;
  password: string;
  /** Removes the account (logging in as it, or through `admin`); safe to call twice. */
  remove(): Promise<void>;
}

/** In-band registration is off here and no admin path was configured. */
export class RegistrationClosedError extends XmppError {
  override name = "RegistrationClosedError";
}

/** The refusal `err` of in-band registration by `domain`, restated with the way out. */
export function registrationClosed(domain: string, err: Error): RegistrationClosedError {
  return new RegistrationClosedError(
    `In-band registration is refused by ${domain} (${err.message}); ` +
      "pass `admin` (a Provisioner from @reguser/admin) to create accounts another way",
    { cause: err },
  );
}

const NAME_ATTEMPTS = 3;

/**
 * Register a fresh account with a unique name (`prefix` and random hex) and a strong random password – in-band, or
 * through `admin` when the server refuses in-band registration (else `RegistrationClosedError`), or with an invite
 * `admin` makes on an invite-only server; a name already taken is retried with another. `remove()` deletes it again.
 */
export async function createThrowawayUser(options: ThrowawayOptions): Promise<ThrowawayUser> {
  const domain = streamDomain(options);
  const password = strongPassword();
  for (let attempt = 1; ; attempt++) {
    const username = uniqueUsername(options.prefix);
    try {
      const { via } = await createAccount(options, { username, password }, { admin: options.admin }).catch(
        (err: unknown) => {
          if (options.admin || !isRegistrationClosed(err)) throw err;
          throw registrationClosed(domain, err as Error);
        },
      );
      return throwawayUser(options, { jid: `${username}@${domain}`, username, password }, via);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= NAME_ATTEMPTS) throw err;
    }
  }
}

type Account = Omit<ThrowawayUser, "remove">;

/** The handle of an account already created: `remove()` deletes it the way it was made. */
export function throwawayUser(
  options: ThrowawayOptions,
  account: Account,
  via: "in-band" | "admin" | "invite",
): ThrowawayUser {
  let removal: Promise<void> | undefined;
  return {
    ...account,
    remove: () => {
      removal ??=
        via === "admin" && options.admin ? options.admin.removeUser(account.username) : removeInBand(options, account);
      return removal;
    },
  };
}

/** Log in as the account on a stream of its own and remove it. */
export async function removeInBand(
  options: OpenStreamOptions,
  account: Pick<Account, "username" | "password">,
): Promise<void> {
  const stream = await openStream(options);
  try {
    await authenticate(stream, { username: account.username, password: account.password, resource: "throwaway" });
    await removeAccount(stream);
  } finally {
    await stream.close();
  }
}
