// XEP-0077 §3.3 Changing a Password, in the session of a connected xmpp.js client (with the §3.3 form flow).
import { NotAuthorizedError, StanzaError, XmppError } from "@reguser/errors";
import {
  buildRegistrationFormQuery,
  buildRegistrationQuery,
  type DataForm,
  fillForm,
  formTypeOf,
  NS,
  parseDataForm,
} from "@reguser/protocol";
import { checkPassword, type SaslprepPolicy } from "@reguser/register";
import { assertConfidential } from "@reguser/stream";
import xml, { type Element } from "@xmpp/xml";
import { confidentialityOf, domainOf, type XmppClient } from "./client.js";
import { type RequestOptions, request } from "./request.js";

export interface NewPassword {
  password: string;
  /** Needed only by servers that answer with the change-password form. */
  oldPassword?: string;
}

export interface ChangePasswordOptions extends RequestOptions {
  saslprep?: SaslprepPolicy;
  /** Allow the password over an unencrypted connection to a non-loopback host. Default false. */
  allowInsecure?: boolean;
}

/** Change the password of the account `xmpp` is logged in as. Its next (re)connection needs the new one. */
export async function changePassword(
  xmpp: XmppClient,
  change: NewPassword,
  options: ChangePasswordOptions = {},
): Promise<void> {
  const username = xmpp.jid?.local;
  if (xmpp.status !== "online" || !username) throw new XmppError("The xmpp.js client is not online");
  assertConfidential(confidentialityOf(xmpp, options.allowInsecure), "a password");
  checkPassword(change.password, options.saslprep);
  const secrets = [change.password, change.oldPassword];
  const set = (query: Element) => xml("iq", { type: "set", to: domainOf(xmpp) }, query);
  try {
    await request(xmpp, set(buildRegistrationQuery({ username, password: change.password })), { ...options, secrets });
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
    const filled = fillForm(form, { username, old_password: change.oldPassword, password: change.password });
    if (filled.missing.length > 0) {
      throw new XmppError(`The change-password form also requires: ${filled.missing.join(", ")}`);
    }
    await request(xmpp, set(buildRegistrationFormQuery(filled.form)), { ...options, secrets });
  }
}

function changePasswordForm(err: unknown): DataForm | undefined {
  if (!(err instanceof StanzaError) || !err.element) return undefined;
  const x =
    err.element.getChild("query", NS.register)?.getChild("x", NS.dataForms) ?? err.element.getChild("x", NS.dataForms);
  if (!x) return undefined;
  const form = parseDataForm(x);
  return formTypeOf(form) === NS.changePasswordForm ? form : undefined;
}
