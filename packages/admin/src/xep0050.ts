// XEP-0050 Ad-Hoc Commands: the <command/> element both ways.
import { buildDataForm, type DataForm, NS, parseDataForm } from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";

export const COMMANDS_NS = "http://jabber.org/protocol/commands";

export interface CommandNote {
  type: string;
  text: string;
}

export interface CommandReply {
  node: string;
  sessionid?: string | undefined;
  status?: string | undefined;
  form?: DataForm | undefined;
  notes: CommandNote[];
}

/** What `buildCommand` sends: the command node, the action, the session and a form. */
export interface CommandRequest {
  node: string;
  action?: "execute" | "complete" | "cancel" | undefined;
  sessionid?: string | undefined;
  form?: DataForm | undefined;
}

/**
 * XEP-0050 §3: build the `<command/>` of an IQ-set – execute, complete or cancel `node`, in session `sessionid`, with a
 * submitted data form.
 */
export function buildCommand(request: CommandRequest): Element {
  const attrs: Record<string, string> = { xmlns: COMMANDS_NS, node: request.node };
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
