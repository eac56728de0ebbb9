// XEP-0077 §6 Extensibility: the jabber:x:data registration form, and the values of a submitted one.
import { BadRequestError } from "@reguser/errors";
import { type DataForm, type FormField, formTypeOf, NS, type RegistrationRequest } from "@reguser/protocol";
import { TEXT } from "../error-texts.js";

const field = (name: string, type: string, required: boolean, values: string[] = []): FormField => ({
  var: name,
  type,
  label: name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, " "),
  required,
  values,
  options: [],
});

/** FORM_TYPE jabber:iq:register; username and password required, the configured fields as configured. */
export function registrationForm(
  fields: readonly string[],
  required: readonly string[],
  instructions: string,
): DataForm {
  return {
    type: "form",
    title: "Registration",
    instructions: [instructions],
    fields: [
      field("FORM_TYPE", "hidden", false, [NS.register]),
      field("username", "text-single", true),
      field("password", "text-private", true),
      ...fields.map((name) => field(name, "text-single", required.includes(name))),
    ],
  };
}

/** XEP-0077 §3.3: the form a password change must be resubmitted with. */
export function changePasswordForm(username: string): DataForm {
  return {
    type: "form",
    title: "Password Change",
    instructions: ["Use this form to change your password."],
    fields: [
      field("FORM_TYPE", "hidden", false, [NS.changePasswordForm]),
      field("username", "text-single", true, [username]),
      field("old_password", "text-private", true),
      field("password", "text-private", true),
    ],
  };
}

/**
 * The values of a request: a submitted form's fields when it carries one (its FORM_TYPE must be one of
 * `formTypes`, else 400), the legacy child elements otherwise – or nothing when `formOnly`.
 */
export function submittedValues(
  request: RegistrationRequest,
  formTypes: readonly string[],
  formOnly = false,
): Record<string, string> {
  const { form } = request;
  if (form?.type !== "submit") return formOnly ? {} : request.values;
  const formType = formTypeOf(form);
  if (formType !== undefined && !formTypes.includes(formType)) throw new BadRequestError({ text: TEXT.badRequest });
  const values: Record<string, string> = {};
  for (const f of form.fields) {
    if (f.var !== undefined && f.var !== "FORM_TYPE" && f.values[0] !== undefined) values[f.var] = f.values[0];
  }
  return values;
}
