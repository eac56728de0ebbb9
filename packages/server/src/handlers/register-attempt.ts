// XEP-0077 §3.1 registration (IQ-set out of session), with the book's order of checks: 406, then 409, then 501.
import { ConflictError, FeatureNotImplementedError, NotAcceptableError, NotAllowedError } from "@reguser/errors";
import { NS, parseRegistrationRequest } from "@reguser/protocol";
import type { IqHandler, ServerDeps } from "../context.js";
import { credentialsFor } from "../credentials.js";
import { TEXT } from "../error-texts.js";
import { isValidUsername } from "../names.js";
import { submittedValues } from "./registration-form.js";

/**
 * Out of a session: a new account, or with a validated reset invite a new password for the one it names; a
 * validated invite is spent only by a registration that went through.
 */
export function registerAttempt({
  options,
  store,
  passwords,
  invites,
}: Pick<ServerDeps, "options" | "store" | "passwords" | "invites">): IqHandler {
  return ({ query, session }) => {
    const request = parseRegistrationRequest(query);
    const values = submittedValues(request, [NS.register], options.registrationForm === "only");
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
