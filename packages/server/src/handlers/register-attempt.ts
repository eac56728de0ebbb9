// XEP-0077 §3.1 registration (IQ-set out of session), with the book's order of checks: 406, then 409, then 501.
import {
  BadRequestError,
  ConflictError,
  FeatureNotImplementedError,
  NotAcceptableError,
  NotAllowedError,
} from "@reguser/errors";
import { NS, parseRegistrationRequest, type RegistrationRequest } from "@reguser/protocol";
import type { CaptchaBook } from "../captchas.js";
import type { IqHandler, ServerDeps } from "../context.js";
import { chainCredentials, credentialsFor } from "../credentials.js";
import { TEXT } from "../error-texts.js";
import { isValidUsername } from "../names.js";
import { registrationPossible } from "../options.js";
import { type ClientChain, clientChain, type ZeroKnowledgeState } from "../zero-knowledge.js";
import { CAPTCHA_FIELDS, checkCaptcha } from "./captcha-form.js";
import { submittedValues } from "./registration-form.js";

/**
 * Out of a session: a new account, or with a validated reset invite a new password for the one it names; a
 * validated invite is spent only by a registration that went through. In CAPTCHA mode the form's CAPTCHA is
 * checked first, as ejabberd does, and only a right answer goes on to the registration. With
 * `zeroKnowledgeRegistration`, a chain's top (hash, token, sequence) may stand in for the password: the account
 * then has that chain and no password.
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
    // The chain's parts are never fields to keep, whichever way the account is made.
    const { username, password, hash, token, sequence, ...fields } = values;
    // "the required fields <username/> and <password/> are checked before looking to see whether or not
    // there is a <register/> section": 406 even when registration is off.
    if (!username || !isValidUsername(username)) throw new NotAcceptableError({ text: TEXT.notAcceptable });
    const secret = secretOf(password, { hash, token, sequence }, options.zeroKnowledgeRegistration);
    /** What the account is left with (made only once it is sure to be stored: a 409 costs no hashing). */
    const credentials = () =>
      "chain" in secret ? chainCredentials(secret.chain) : credentialsFor(secret.password, passwords);
    // Only while unspent: another connection may have used the same token since this one validated it.
    const invite = session.invite === undefined ? undefined : invites.get(session.invite);
    // mod_invites_register refuses at user-registering, before mod_register_ibr looks the name up.
    if (options.invites?.only && !invite) throw new NotAcceptableError({ text: TEXT.inviteOnly });
    const existing = store.get(username);
    if (existing) {
      // mod_register_ibr's allow_reset: the name a reset invite was made for takes a new password.
      if (invite?.reset && invite.username === username) {
        store.put({ ...existing, ...credentials() });
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
    store.put({ username, fields, ...credentials() });
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
 * What stands in for the password: the password, or with zero-knowledge registration on and no password, the top of
 * the client's chain (mod_auth_0k's registration). Neither → 406, as a missing password; a malformed chain → 400.
 * With both, the password is used and the chain ignored: the client has sent the password anyway.
 */
function secretOf(
  password: string | undefined,
  parts: ClientChain,
  zeroKnowledgeRegistration: boolean,
): { password: string } | { chain: ZeroKnowledgeState } {
  if (password) return { password };
  // An empty <hash/> is the inquiry's echo, not a chain: as absent as an empty password.
  if (!zeroKnowledgeRegistration || !parts.hash?.trim()) throw new NotAcceptableError({ text: TEXT.notAcceptable });
  const chain = clientChain(parts);
  if (!chain) throw new BadRequestError({ text: TEXT.badRequest });
  return { chain };
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
