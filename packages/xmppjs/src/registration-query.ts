// XEP-0077 §3.1 the registration attempt's query, chosen from what the inquiry offered (fields or a data form).
import {
  buildRegistrationFormQuery,
  buildRegistrationQuery,
  fillForm,
  formTypeOf,
  NS,
  type RegistrationInfo,
} from "@reguser/protocol";
import { MissingFieldsError, type NewAccount, OutOfBandRegistrationError } from "@reguser/register";
import type { Element } from "@xmpp/xml";

/**
 * The `<query xmlns='jabber:iq:register'/>` for `account`: legacy fields unless the server offered only a form
 * (or `useForm` says so). Throws `OutOfBandRegistrationError` for web-only registration and `MissingFieldsError`
 * when the form requires more than was given (a CAPTCHA, say).
 */
export function registrationQuery(account: NewAccount, info: RegistrationInfo | undefined, useForm?: boolean): Element {
  if (info?.oobUrl && info.fields.length === 0 && !info.form) throw new OutOfBandRegistrationError(info.oobUrl);
  const formOnly = info?.form !== undefined && info.fields.length === 0;
  if (info?.form && (useForm ?? formOnly)) {
    const { form, missing } = fillForm(info.form, account);
    if (missing.length > 0) throw new MissingFieldsError(missing, formTypeOf(info.form) === NS.captcha);
    return buildRegistrationFormQuery(form);
  }
  const { username, password, ...more } = account;
  return buildRegistrationQuery({ username, password, ...more, key: info?.key });
}
