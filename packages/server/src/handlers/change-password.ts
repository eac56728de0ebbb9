// XEP-0077 §3.3 Changing a Password (the book's Example 7-2), optionally through the old-password form.
import { ForbiddenError, NotAcceptableError, NotAuthorizedError } from "@reguser/errors";
import { buildRegistrationFormRequest, NS, parseRegistrationRequest } from "@reguser/protocol";
import type { IqHandler, ServerDeps } from "../context.js";
import { credentialsFor } from "../credentials.js";
import { ErrorReply } from "../error-reply.js";
import { TEXT } from "../error-texts.js";
import { changePasswordForm, submittedValues } from "./registration-form.js";

/** In a session: a new password (a new 0k chain and SCRAM keys) and/or other registration fields. */
export function changePassword({
  options,
  store,
  passwords,
}: Pick<ServerDeps, "options" | "store" | "passwords">): IqHandler {
  return ({ query, session }) => {
    const username = session.username as string;
    const account = store.get(username);
    if (!account) throw new NotAuthorizedError({ text: TEXT.unauthorized });
    const values = submittedValues(parseRegistrationRequest(query), [NS.changePasswordForm, NS.register]);
    // A zero-knowledge chain is for registration only: here its parts are neither a change nor fields to keep.
    const { username: named, password, old_password: oldPassword, key: _key, ...rest } = values;
    const { hash: _hash, token: _token, sequence: _sequence, ...fields } = rest;
    // "the server will stamp the incoming IQ-set anyway with the JID associated with the user's session".
    if (named && named !== username) throw new ForbiddenError({ text: TEXT.forbidden });
    if (password !== undefined && options.requireOldPassword && oldPassword === undefined) {
      // XEP-0077 §3.3 Example 20: not-authorized (type modify) with the form to fill in.
      const form = buildRegistrationFormRequest(changePasswordForm(username));
      throw new ErrorReply(new NotAuthorizedError({ type: "modify", text: TEXT.unauthorized }), form);
    }
    // A zero-knowledge account has no password, so any old_password is wrong for it.
    if (oldPassword !== undefined && (account.password === undefined || oldPassword !== account.password)) {
      throw new NotAuthorizedError({ text: TEXT.unauthorized });
    }
    if (password === "" || (password === undefined && Object.keys(fields).length === 0)) {
      throw new NotAcceptableError({ text: TEXT.notAcceptable });
    }
    const merged = { ...account.fields, ...fields };
    store.put({ ...account, fields: merged, ...(password === undefined ? {} : credentialsFor(password, passwords)) });
    return undefined;
  };
}
