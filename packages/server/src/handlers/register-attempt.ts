// XEP-0077 §3.1 registration (IQ-set out of session), with the book's order of checks: 406, then 409, then 501.
import { ConflictError, FeatureNotImplementedError, NotAcceptableError, NotAllowedError } from "@reguser/errors";
import { NS, parseRegistrationRequest, type RegistrationRequest } from "@reguser/protocol";
import type { CaptchaBook } from "../captchas.js";
import type { IqHandler, ServerDeps } from "../context.js";
import { credentialsFor } from "../credentials.js";
import { TEXT } from "../error-texts.js";
import { isValidUsername } from "../names.js";
import { registrationPossible } from "../options.js";
import { CAPTCHA_FIELDS, checkCaptcha } from "./captcha-form.js";
import { submittedValues } from "./registration-form.js";

/**
 * Out of a session: a new account, or with a validated reset invite a new password for the one it names; a
 * validated invite is spent only by a registration that went through. In CAPTCHA mode the form's CAPTCHA is
 * checked first, as ejabberd does, and only a right answer goes on to the registration.
 */
export function registerAttempt({
  options,
  store,
  passwords,
  invites,
  captchas,
}: Pick<ServerDeps, "options" | "store" | "passwords" | "invites" | "captchas">): IqHandler {
  // Where nobody may register the inquiry is a 501, so no CAPTCHA was offered: the book's order stays.
  const captchaOn = options.captcha !== undefined && registrationPossible(options);
  return ({ query, session }) => {
    const request = parseRegistrationRequest(query);
    const values = captchaOn
      ? captchaAnswered(request, captchas)
      : submittedValues(request, [NS.register], options.registrationForm === "only");
    const { username, password, ...fields } = values;
    // "the required fields <username/> and <password/> are checked before looking to see whether or not
    // there is a <register/> section": 406 even when registration is off.
    if (!username || !password || !isValidUsername(username)) {
      throw new NotAcceptableError({ text: TEXT.notAcceptable });
    }
    // Only while unspent: another connection may have used the same token since this one validated it.
    const invite = session.invite === undefined ? undefined : invites.get(session.invite);
    // mod_invites_register refuses at user-registering, before mod_register_ibr looks the name up.
    if (options.invites?.only && !invite) throw new NotAcceptableError({ text: TEXT.inviteOnly });
    const existing = store.get(username);
    if (existing) {
      // mod_register_ibr's allow_reset: the name a reset invite was made for takes a new password.
      if (invite?.reset && invite.username === username) {
        store.put({ ...existing, ...credentialsFor(password, passwords) });
        spend();
        return undefined;
      }
      // "Likewise, if you specify a username that already exists, you will receive a 409".
      throw new ConflictError({ text: TEXT.usernameTaken });
    }
    // A validated invite opens registration where it is otherwise off.
    if (!options.registration && !invite) throw new FeatureNotImplementedError({ text: TEXT.notImplemented });
    if (options.oobUrl !== undefined) {
      throw new NotAllowedError({ text: `${TEXT.notAllowed}: register at ${options.oobUrl}` });
    }
    if (options.requiredFields.some((name) => !fields[name]))
      throw new NotAcceptableError({ text: TEXT.notAcceptable });
    store.put({ username, fields, ...credentialsFor(password, passwords) });
    spend();
    return undefined;

    /** Only a registration that went through uses the invite up (mod_invites_register's user-registered). */
    function spend(): void {
      if (!invite) return;
      invites.spend(invite.token);
      session.invite = undefined;
    }
  };
}

/**
 * The account's values from an answered CAPTCHA form: legacy fields are no answer (not-allowed), a form of another
 * FORM_TYPE is a 400, the CAPTCHA must check out (`checkCaptcha`); its own fields are left out.
 */
function captchaAnswered(request: RegistrationRequest, captchas: Pick<CaptchaBook, "spend">): Record<string, string> {
  if (request.form?.type !== "submit") throw new NotAllowedError({ type: "cancel", text: TEXT.captchaRequired });
  // Either FORM_TYPE: a client may answer a 23.01 form with XEP-0158's, or the other way round.
  const values = submittedValues(request, [NS.register, NS.captcha]);
  checkCaptcha(values, captchas);
  return Object.fromEntries(Object.entries(values).filter(([name]) => !CAPTCHA_FIELDS.includes(name)));
}
