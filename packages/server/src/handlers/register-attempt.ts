// XEP-0077 §3.1 registration (IQ-set out of session), with the book's order of checks: 406, then 409, then 501.
import { ConflictError, FeatureNotImplementedError, NotAcceptableError, NotAllowedError } from "@reguser/errors";
import { NS, parseRegistrationRequest } from "@reguser/protocol";
import type { IqHandler, ServerDeps } from "../context.js";
import { credentialsFor } from "../credentials.js";
import { TEXT } from "../error-texts.js";
import { isValidUsername } from "../names.js";
import { submittedValues } from "./registration-form.js";

export function registerAttempt({
  options,
  store,
  passwords,
}: Pick<ServerDeps, "options" | "store" | "passwords">): IqHandler {
  return ({ query }) => {
    const request = parseRegistrationRequest(query);
    const values = submittedValues(request, [NS.register], options.registrationForm === "only");
    const { username, password, ...fields } = values;
    // "the required fields <username/> and <password/> are checked before looking to see whether or not
    // there is a <register/> section": 406 even when registration is off.
    if (!username || !password || !isValidUsername(username)) {
      throw new NotAcceptableError({ text: TEXT.notAcceptable });
    }
    // "Likewise, if you specify a username that already exists, you will receive a 409".
    if (store.has(username)) throw new ConflictError({ text: TEXT.usernameTaken });
    if (!options.registration) throw new FeatureNotImplementedError({ text: TEXT.notImplemented });
    if (options.oobUrl !== undefined) {
      throw new NotAllowedError({ text: `${TEXT.notAllowed}: register at ${options.oobUrl}` });
    }
    if (options.requiredFields.some((name) => !fields[name]))
      throw new NotAcceptableError({ text: TEXT.notAcceptable });
    store.put({ username, fields, ...credentialsFor(password, passwords) });
    return undefined;
  };
}
