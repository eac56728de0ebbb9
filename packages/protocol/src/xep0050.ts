// XEP-0050 Ad-Hoc Commands: the <command/> element both ways.
import xml, { type Element } from "@xmpp/xml";
import { NS } from "./namespaces.js";
import { buildDataForm, type DataForm, parseDataForm } from "./xep0004.js";

/** A `<note/>` of a command reply: `info`, `warn` or `error`, and its text. */
export interface CommandNote {
  type: string;
  text: string;
}

/** What `parseCommand` reads from a reply: the node, the session, the status, the data form and the notes. */
export interface CommandReply {
  node: string;
  sessionid?: string | undefined;
  /** `executing`, `completed` or `canceled`. */
  status?: string | undefined;
  form?: DataForm | undefined;
  notes: CommandNote[];
}

/** What `buildCommand` sends: the command node, the action, the session and a form. */
export interface CommandRequest {
  node: string;
  /** None means `execute` (XEP-0050 §3.4), which is how XEP-0133 §4.1 submits a form. */
  action?: "execute" | "complete" | "cancel" | undefined;
  sessionid?: string | undefined;
  form?: DataForm | undefined;
}

/**
 * XEP-0050 §3: build the `<command/>` of an IQ-set – execute, complete or cancel `node`, in session `sessionid`, with a
 * submitted data form.
 */
export function buildCommand(request: CommandRequest): Element {
  const attrs: Record<string, string> = { xmlns: NS.commands, node: request.node };
  if (request.action) attrs.action = request.action;
  if (request.sessionid) attrs.sessionid = request.sessionid;
  return xml("command", attrs, request.form ? buildDataForm(request.form) : "");
}

/** XEP-0050 §3: read a `<command/>` reply – its node, session id, status, data form and notes. */
export function parseCommand(command: Element): CommandReply {
  const x = command.getChild("x", NS.dataForms);
  const attr = (name: string) => (command.attrs[name] === undefined ? undefined : String(command.attrs[name]));
  return {
    node: attr("node") ?? "",
    sessionid: attr("sessionid"),
    status: attr("status"),
    form: x ? parseDataForm(x) : undefined,
    notes: command.getChildren("note").map((n) => ({ type: String(n.attrs.type ?? "info"), text: n.getText().trim() })),
  };
}
