// XEP-0077 §3.1 Entity Registers with a Host (the inquiry), and the book's Example 7-1 / in-session IQ-get.
import { FeatureNotImplementedError } from "@reguser/errors";
import { buildRegistrationInfo } from "@reguser/protocol";
import { captchaImage } from "../captcha-image.js";
import type { IqHandler, ServerDeps } from "../context.js";
import { TEXT } from "../error-texts.js";
import { BOOK_INSTRUCTIONS, registrationPossible } from "../options.js";
import { CAPTCHA_INSTRUCTIONS, captchaInquiry } from "./captcha-form.js";
import { registrationForm } from "./registration-form.js";

/** The configured fields, then username and password: mod_register appends those two, always. */
export const registrationFields = (fields: readonly string[]) => [
  ...fields.filter((f) => f !== "username" && f !== "password"),
  "username",
  "password",
];

/**
 * Out of a session: the fields (with `<hash/>` for zero-knowledge registration), the form, the OOB URL or a new
 * CAPTCHA, by mode; in one: what is stored.
 */
export function registerInquiry({
  options,
  store,
  captchas,
}: Pick<ServerDeps, "options" | "store" | "captchas">): IqHandler {
  const { instructions, registrationForm: formMode, oobUrl, captcha } = options;
  const fields = registrationFields(options.fields);
  const image = captchaImage();
  return ({ iq, session }) => {
    if (session.username !== undefined) {
      // In a session: <registered/>, the fields with what is stored (the book's pass_2 reply).
      const stored = store.get(session.username)?.fields ?? {};
      const values = { ...stored, username: session.username };
      return buildRegistrationInfo({ fields, values, instructions, registered: true, zeroKnowledge: false });
    }
    if (!registrationPossible(options)) throw new FeatureNotImplementedError({ text: TEXT.notImplemented });
    if (oobUrl !== undefined) {
      // XEP-0077 §5 Redirection: register on a web page instead.
      const text = instructions === BOOK_INSTRUCTIONS ? `To register, visit ${oobUrl}` : instructions;
      return buildRegistrationInfo({
        fields: [],
        values: {},
        instructions: text,
        oobUrl,
        registered: false,
        zeroKnowledge: false,
      });
    }
    if (captcha) {
      // ejabberd's captcha_protected: a new challenge for every inquiry, whatever registrationForm says.
      return captchaInquiry({
        instructions: instructions === BOOK_INSTRUCTIONS ? CAPTCHA_INSTRUCTIONS : instructions,
        formType: captcha.formType,
        requiredFields: options.requiredFields.filter((f) => f !== "username" && f !== "password"),
        domain: options.domain,
        host: options.host,
        challenge: captchas.issue(),
        sid: iq.attrs.id === undefined ? "" : String(iq.attrs.id),
        image,
      });
    }
    const form =
      formMode === "fields" ? undefined : registrationForm(options.fields, options.requiredFields, instructions);
    return buildRegistrationInfo({
      fields: formMode === "only" ? [] : fields,
      values: {},
      instructions,
      form,
      registered: false,
      // mod_auth_0k's empty <hash/>: a chain may replace the password, in legacy fields (a form-only set has none).
      zeroKnowledge: options.zeroKnowledgeRegistration && formMode !== "only",
    });
  };
}
