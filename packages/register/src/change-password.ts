// XEP-0077 §3.3 Changing a Password, with the §3.3 form flow when the server wants the old one.
import { NotAuthorizedError, requireTextOptions, StanzaError, XmppError } from "@reguser/errors";
import { assertConfidential, type IqOptions, type IqSession } from "@reguser/iq";
import {
  buildRegistrationFormRequest,
  buildRegistrationRequest,
  fillForm,
  formTypeOf,
  NS,
  parseDataForm,
} from "@reguser/protocol";
import { checkPassword, type SaslprepPolicy } from "./password-policy.js";

export interface PasswordChange {
  /** The account's name. Default: the local part of the JID the session is logged in as (`session.jid`). */
  username?: string | undefined;
  /** The new password. */
  password: string;
  /** Needed only by servers that answer with the change-password form. */
  oldPassword?: string;
}

export interface ChangePasswordOptions extends IqOptions {
  /**
   * What to do with a password SASLprep would change or prohibit: `refuse` (default) throws `PasswordPreparationError`
   * before sending, `allow` sends it as given.
   */
  saslprep?: SaslprepPolicy;
}

/**
 * Change the password of the account logged in on `session`. A missing or empty `password`, an empty `username` or
 * `oldPassword`, or no `username` on a session that is not logged in, is an `InvalidOptionError` before anything is
 * sent.
 */
export async function changePassword(
  session: IqSession,
  change: PasswordChange,
  options: ChangePasswordOptions = {},
): Promise<void> {
  const username = change.username ?? localPartOf(session.jid);
  requireTextOptions(
    "changePassword",
    { ...change, username },
    { required: ["username", "password"], optional: ["oldPassword"] },
  );
  assertConfidential(session, "a password");
  await checkPassword(change.password, options.saslprep);
  const { saslprep, ...iqOptions } = options;
  // The book: `to` is required so that the server itself handles it.
  const send = { ...iqOptions, to: session.domain, secrets: [change.password, change.oldPassword] };
  const legacy = buildRegistrationRequest({ username, password: change.password });
  try {
    await session.set(legacy, send);
  } catch (err) {
    const form = changePasswordForm(err);
    if (!form) throw err;
    if (change.oldPassword === undefined) {
      throw new NotAuthorizedError({
        text: "The server requires the old password to change it",
        hint: "pass oldPassword",
        element: (err as StanzaError).element,
        cause: err,
      });
    }
    const values = { username, old_password: change.oldPassword, password: change.password };
    const filled = fillForm(form, values);
    if (filled.missing.length > 0)
      throw new XmppError(`The change-password form also requires: ${filled.missing.join(", ")}`);
    await session.set(buildRegistrationFormRequest(filled.form), send);
  }
}

/** `user` of `user@domain/resource`, undefined for no JID. */
function localPartOf(jid: string | undefined): string | undefined {
  if (jid === undefined) return undefined;
  const at = jid.indexOf("@");
  return at > 0 ? jid.slice(0, at) : undefined;
}

function changePasswordForm(err: unknown) {
  if (!(err instanceof StanzaError) || !err.element) return undefined;
  const x =
    err.element.getChild("query", NS.register)?.getChild("x", NS.dataForms) ?? err.element.getChild("x", NS.dataForms);
  if (!x) return undefined;
  const form = parseDataForm(x);
  return formTypeOf(form) === NS.changePasswordForm ? form : undefined;
}
