// XEP-0077 §3.1 Entity Registers with a Host (the inquiry), and the book's Example 7-1 / in-session IQ-get.
import { FeatureNotImplementedError } from "@reguser/errors";
import { buildRegistrationInfo } from "@reguser/protocol";
import type { IqHandler, ServerDeps } from "../context.js";
import { TEXT } from "../error-texts.js";
import { BOOK_INSTRUCTIONS, registrationPossible } from "../options.js";
import { registrationForm } from "./registration-form.js";

/** The configured fields, then username and password: mod_register appends those two, always. */
export const registrationFields = (fields: readonly string[]) => [
  ...fields.filter((f) => f !== "username" && f !== "password"),
  "username",
  "password",
];

export function registerInquiry({ options, store }: Pick<ServerDeps, "options" | "store">): IqHandler {
  const { instructions, registrationForm: formMode, oobUrl } = options;
  const fields = registrationFields(options.fields);
  return ({ session }) => {
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
    const form =
      formMode === "fields" ? undefined : registrationForm(options.fields, options.requiredFields, instructions);
    return buildRegistrationInfo({
      fields: formMode === "only" ? [] : fields,
      values: {},
      instructions,
      form,
      registered: false,
      zeroKnowledge: false,
    });
  };
}
