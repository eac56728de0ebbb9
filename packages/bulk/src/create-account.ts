// XEP-0077 §3.1 one account, in-band if the server allows it, else through an admin path (XEP-0077 §8's "another way")
// or, on an invite-only server, with an invite the admin path makes (XEP-0401).
import { StanzaError, XmppError } from "@reguser/errors";
import {
  InviteRequiredError,
  inquire,
  isRegistrationClosed,
  type NewAccount,
  type Provisioner,
  type RegisterOptions,
  RegistrationThrottledError,
  register,
} from "@reguser/register";
import { type OpenStreamOptions, openStream } from "@reguser/stream";

export interface CreateAccountOptions
  extends Pick<
    RegisterOptions,
    "saslprep" | "useForm" | "timeout" | "signal" | "invite" | "solveCaptcha" | "captchaAttempts"
  > {
  /**
   * Creates the account when the server refuses in-band registration as such (`isRegistrationClosed`) or throttles
   * it (`RegistrationThrottledError`: the admin paths are not throttled). On an invite-only server
   * (`InviteRequiredError`), its `createInvite`, when it has one, makes the invite to register with.
   */
  admin?: (Pick<Provisioner, "createUser"> & Partial<Pick<Provisioner, "createInvite">>) | undefined;
  /** `false`: no in-band attempt, straight to `admin` (which must be given). Default true. */
  inBand?: boolean | undefined;
  /**
   * Called just before the account goes to `admin`, with the server's refusal (none when `inBand` is false): the
   * moment to say so.
   */
  onAdmin?: ((refusal: Error | undefined) => void) | undefined;
}

/** How `createAccount` made the account, and the refusal that sent it another way. */
export type CreatedAccount =
  | { via: "in-band" }
  | { via: "admin"; refusal?: Error | undefined }
  | { via: "invite"; refusal: Error };

type InBandOptions = Omit<CreateAccountOptions, "admin" | "inBand" | "onAdmin">;

/**
 * Create `account` on `target`: open a stream, inquire (an inquiry's error is left to the attempt to report),
 * register with what the inquiry offered (and `invite`, if given). If the server refuses registration as such, or
 * throttles it, and `admin` is given, the account is created through `admin.createUser` instead; if it registers
 * only with an invite and `admin` can make one, the account registers in-band with it (`via: "invite"`), else
 * `admin.createUser` makes it. Any other
 * failure, or such a refusal without `admin`, rejects (`ConflictError` for a taken name,
 * `RegistrationThrottledError` naming the server's setting, `InviteRequiredError`…). The stream is always closed.
 */
export async function createAccount(
  target: OpenStreamOptions,
  account: NewAccount,
  options: CreateAccountOptions = {},
): Promise<CreatedAccount> {
  const { admin, inBand = true, onAdmin, ...registerOptions } = options;
  if (!inBand && !admin) throw new XmppError("createAccount: inBand: false needs an admin provisioner");
  let refusal: Error | undefined;
  if (inBand) {
    refusal = await registerInBand(target, account, registerOptions);
    if (refusal === undefined) return { via: "in-band" };
    if (refusal instanceof InviteRequiredError && admin?.createInvite && registerOptions.invite === undefined) {
      const invite = await admin.createInvite();
      const again = await registerInBand(target, account, { ...registerOptions, invite });
      if (again !== undefined) throw again;
      return { via: "invite", refusal };
    }
    if (!admin) throw refusal;
  }
  onAdmin?.(refusal);
  await admin?.createUser(account);
  return refusal === undefined ? { via: "admin" } : { via: "admin", refusal };
}

/** Registers in-band; a refusal another way may get past (registration off, a throttle, invite-only) is returned. */
async function registerInBand(
  target: OpenStreamOptions,
  account: NewAccount,
  options: InBandOptions,
): Promise<Error | undefined> {
  const stream = await openStream(target);
  try {
    // The inquiry first: it tells `register` when the server wants its data form.
    const inquiry = await inquire(stream, iqOptions(options)).catch((err: unknown) => {
      if (!(err instanceof StanzaError)) throw err;
      return undefined;
    });
    try {
      await register(stream, account, { ...options, inquiry });
      return undefined;
    } catch (err) {
      const another = isRegistrationClosed(err) || err instanceof RegistrationThrottledError;
      if (another || err instanceof InviteRequiredError) return err as Error;
      throw err;
    }
  } finally {
    await stream.close().catch(() => undefined);
  }
}

function iqOptions(options: Pick<RegisterOptions, "timeout" | "signal">) {
  return {
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}
