// XEP-0077 In-Band Registration (jabber:iq:register): the query element in both directions.
import xml, { type Element } from "@xmpp/xml";
import { type Captcha, parseCaptcha } from "./captcha.js";
import { NS } from "./namespaces.js";
import { buildDataForm, type DataForm, parseDataForm } from "./xep0004.js";
import { assertXmlText } from "./xml-chars.js";

/** Children of the register query that are not registration fields. */
const STRUCTURAL = new Set(["instructions", "registered", "key", "remove", "x", "hash", "token", "sequence"]);

export interface RegistrationInfo {
  /** Legacy field names in the server's order, e.g. `username password email name`. */
  fields: string[];
  /** Values the server pre-filled (a username, in a session). */
  values: Record<string, string>;
  instructions?: string | undefined;
  /** `<registered/>`: the account exists (asked from inside a session). */
  registered: boolean;
  /** A legacy `<key/>` token to send back. */
  key?: string | undefined;
  /** A jabber:x:data form, when the server offers one. */
  form?: DataForm | undefined;
  /** `jabber:x:oob` URL: register on a web page instead. */
  oobUrl?: string | undefined;
  /** An empty `<hash/>`: the jabberd-era draft letting the client send a 0k hash chain instead of a password. */
  zeroKnowledge: boolean;
  /** A CAPTCHA the form carries (XEP-0158): the answer field, the image, the fallback page. */
  captcha?: Captcha | undefined;
}

/**
 * XEP-0077 §3.1: read the `jabber:iq:register` query of an inquiry's result – the legacy fields in the server's order,
 * pre-filled values, instructions, `<registered/>`, `<key/>`, a data form, an OOB URL and the 0k `<hash/>`.
 */
export function parseRegistrationInfo(query: Element): RegistrationInfo {
  const fields: string[] = [];
  const values: Record<string, string> = {};
  for (const child of query.getChildElements()) {
    const namespaced = child.attrs.xmlns !== undefined && child.attrs.xmlns !== NS.register;
    if (namespaced || STRUCTURAL.has(child.name)) continue;
    fields.push(child.name);
    const value = child.getText();
    if (value !== "") values[child.name] = value;
  }
  const x = query.getChildren("x", NS.dataForms)[0];
  const oob = query.getChild("x", NS.oob);
  const form = x ? parseDataForm(x) : undefined;
  const captcha = parseCaptcha(query, form);
  return {
    fields,
    values,
    instructions: query.getChildText("instructions")?.trim() || undefined,
    registered: query.getChild("registered") !== undefined,
    key: query.getChildText("key") ?? undefined,
    form,
    oobUrl: oob?.getChildText("url") ?? undefined,
    zeroKnowledge: query.getChild("hash") !== undefined,
    ...(captcha ? { captcha } : {}),
  };
}

/** The result of an inquiry, as a server writes it. */
export function buildRegistrationInfo(info: RegistrationInfo): Element {
  const query = xml("query", { xmlns: NS.register });
  if (info.registered) query.cnode(xml("registered"));
  if (info.instructions !== undefined) query.cnode(xml("instructions", {}, info.instructions));
  for (const field of info.fields) query.cnode(xml(field, {}, info.values[field] ?? ""));
  if (info.zeroKnowledge) query.cnode(xml("hash"));
  if (info.key !== undefined) query.cnode(xml("key", {}, info.key));
  if (info.form) query.cnode(buildDataForm(info.form));
  if (info.oobUrl !== undefined) query.cnode(xml("x", { xmlns: NS.oob }, xml("url", {}, info.oobUrl)));
  return query;
}

export type RegistrationValues = Readonly<Record<string, string | undefined>>;

/** A registration (or change) with legacy fields: one child element per value, in the order given. */
export function buildRegistrationRequest(values: RegistrationValues): Element {
  const query = xml("query", { xmlns: NS.register });
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    assertXmlText(name, value);
    query.cnode(xml(name, {}, value));
  }
  return query;
}

/** A registration answered with a data form. */
export function buildRegistrationFormRequest(form: DataForm): Element {
  return xml("query", { xmlns: NS.register }, buildDataForm(form));
}

/** XEP-0077 §3.2 Cancellation. */
export function buildRemoveRequest(): Element {
  return xml("query", { xmlns: NS.register }, xml("remove"));
}

/** What a client sent in a registration IQ-set (the server's view). */
export interface RegistrationRequest {
  remove: boolean;
  values: Record<string, string>;
  form?: DataForm | undefined;
}

/**
 * XEP-0077 §3.1 and §3.2, the server's side: read the `jabber:iq:register` query a client sent in an IQ-set – its field
 * values, a submitted data form, or `<remove/>`.
 */
export function parseRegistrationRequest(query: Element): RegistrationRequest {
  const values: Record<string, string> = {};
  for (const child of query.getChildElements()) {
    if (child.attrs.xmlns !== undefined && child.attrs.xmlns !== NS.register) continue;
    if (child.name === "remove") continue;
    values[child.name] = child.getText();
  }
  const x = query.getChild("x", NS.dataForms);
  return { remove: query.getChild("remove") !== undefined, values, form: x ? parseDataForm(x) : undefined };
}
