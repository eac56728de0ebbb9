// XEP-0004 Data Forms: the parts registration uses (forms, submissions, FORM_TYPE, CAPTCHA fields).
import xml, { type Element } from "@xmpp/xml";
import { NS } from "./namespaces.js";
import { assertXmlText, isSecretField } from "./xml-chars.js";

export const FORM_TYPES = ["form", "submit", "cancel", "result"] as const;
export type FormType = (typeof FORM_TYPES)[number];

export interface FormOption {
  label?: string | undefined;
  value: string;
}

export interface FormField {
  var?: string | undefined;
  type?: string | undefined;
  label?: string | undefined;
  required: boolean;
  values: string[];
  options: FormOption[];
  /** XEP-0221 media (CAPTCHA images): kept as received. */
  media?: Element | undefined;
}

export interface DataForm {
  type: FormType;
  title?: string | undefined;
  instructions: string[];
  fields: FormField[];
}

/** XEP-0004: read a `jabber:x:data` form (type, title, instructions, fields with their values, options and media). */
export function parseDataForm(x: Element): DataForm {
  const type = String(x.attrs.type ?? "form");
  return {
    type: (FORM_TYPES as readonly string[]).includes(type) ? (type as FormType) : "form",
    title: x.getChildText("title") ?? undefined,
    instructions: x.getChildren("instructions").map((i) => i.getText()),
    fields: x.getChildren("field").map(parseField),
  };
}

function parseField(field: Element): FormField {
  const attr = (name: string) => (field.attrs[name] === undefined ? undefined : String(field.attrs[name]));
  return {
    var: attr("var"),
    type: attr("type"),
    label: attr("label"),
    required: field.getChild("required") !== undefined,
    values: field.getChildren("value").map((v) => v.getText()),
    options: field.getChildren("option").map((o) => ({
      label: o.attrs.label === undefined ? undefined : String(o.attrs.label),
      value: o.getChildText("value") ?? "",
    })),
    media: field.getChild("media", NS.media),
  };
}

/**
 * XEP-0004: build the `jabber:x:data` element of `form`; refuses characters XML cannot carry (secret fields are named,
 * never quoted).
 */
export function buildDataForm(form: DataForm): Element {
  const x = xml("x", { xmlns: NS.dataForms, type: form.type });
  if (form.title !== undefined) x.cnode(xml("title", {}, form.title));
  for (const text of form.instructions) x.cnode(xml("instructions", {}, text));
  for (const field of form.fields) x.cnode(buildField(field, form.type));
  return x;
}

function buildField(field: FormField, formType: FormType): Element {
  const attrs: Record<string, string> = {};
  if (field.var !== undefined) attrs.var = field.var;
  // A submission carries only var and values; a form describes each field.
  const describe = formType === "form" || formType === "result";
  if (field.type !== undefined && (describe || field.type === "hidden")) attrs.type = field.type;
  if (describe && field.label !== undefined) attrs.label = field.label;
  const el = xml("field", attrs);
  if (describe && field.required) el.cnode(xml("required"));
  for (const value of field.values) {
    assertXmlText(field.var ?? "form field", value, isSecretField(field.var ?? ""));
    el.cnode(xml("value", {}, value));
  }
  if (describe) {
    for (const option of field.options) {
      el.cnode(
        xml("option", option.label === undefined ? {} : { label: option.label }, xml("value", {}, option.value)),
      );
    }
    if (field.media) el.cnode(field.media);
  }
  return el;
}

/** The FORM_TYPE hidden field's value, which names what the form is for. */
export function formTypeOf(form: DataForm): string | undefined {
  return form.fields.find((f) => f.var === "FORM_TYPE")?.values[0];
}

export interface FilledForm {
  form: DataForm;
  /** Required fields that had neither a value given nor a default. */
  missing: string[];
}

/**
 * Answer a form: hidden fields (FORM_TYPE, CAPTCHA challenge/sid/from) are sent back as received,
 * the given values fill the rest, defaults are kept for fields not given.
 */
export function fillForm(
  form: DataForm,
  values: Readonly<Record<string, string | readonly string[] | undefined>>,
): FilledForm {
  const missing: string[] = [];
  const fields: FormField[] = [];
  for (const field of form.fields) {
    if (field.var === undefined || field.type === "fixed") continue;
    const given = values[field.var];
    const chosen =
      field.type === "hidden" || given === undefined ? field.values : typeof given === "string" ? [given] : [...given];
    if (field.required && chosen.length === 0) missing.push(field.var);
    if (chosen.length > 0 || field.type === "hidden") {
      fields.push({
        var: field.var,
        type: field.type === "hidden" ? "hidden" : undefined,
        required: false,
        values: chosen,
        options: [],
      });
    }
  }
  return { form: { type: "submit", instructions: [], fields }, missing };
}
