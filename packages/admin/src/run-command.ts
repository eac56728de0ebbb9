// XEP-0050 §3 a two-step command session: execute, fill in the form it returns, submit; cancel on failure.
import { ProtocolError, XmppError } from "@reguser/errors";
import type { IqSession } from "@reguser/iq";
import { buildCommand, type CommandReply, type DataForm, fillForm, NS, parseCommand } from "@reguser/protocol";
import xml from "@xmpp/xml";

/** A command completed with `<note type='error'/>` (how Prosody and Openfire report failure). */
export class AdminCommandError extends XmppError {
  override name = "AdminCommandError";
  readonly node: string;
  readonly note: string;
  constructor(node: string, note: string) {
    super(`${node.split("#")[1] ?? node} failed: ${note}`);
    this.node = node;
    this.note = note;
  }
}

export interface CommandCall {
  /** The service that runs the command: the account's domain. */
  to: string;
  node: string;
  /** Values by field name; only fields the form declares are sent (docs/provisioning.md#34-rules, rule 3). */
  values: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Strings to scrub from errors (the passwords in the form). */
  secrets: readonly string[];
  timeout?: number | undefined;
  /** Looks at the server's form before it is filled in: an error returned cancels the session and is thrown. */
  check?: ((form: DataForm) => Error | undefined) | undefined;
  /** Called just before the filled-in form is sent: a failure after it is the command's answer to the values. */
  submitted?: (() => void) | undefined;
}

/** Run `call.node` on `session` to its end: execute, fill in the form, submit; a `<note type='error'/>` throws. */
export async function runCommand(session: IqSession, call: CommandCall): Promise<CommandReply> {
  const { to, node, secrets } = call;
  const send = async (command: ReturnType<typeof buildCommand>) => {
    const reply = await session.request(xml("iq", { type: "set", to }, command), { secrets, timeout: call.timeout });
    const el = reply.getChild("command", NS.commands);
    if (!el) throw new ProtocolError(`The ${node} reply carries no command`);
    return parseCommand(el);
  };
  const started = await send(buildCommand({ node, action: "execute" }));
  if (started.status === "completed") return checked(started);
  if (!started.form || !started.sessionid) throw new ProtocolError(`${node} returned no form to fill in`);
  const { sessionid } = started;
  const cancel = () => send(buildCommand({ node, action: "cancel", sessionid })).catch(() => undefined);
  const refused = call.check?.(started.form);
  if (refused) {
    await cancel();
    throw refused;
  }
  const { form, missing } = fillForm(started.form, call.values);
  if (missing.length > 0) {
    await cancel();
    throw new ProtocolError(`${node} requires fields this library cannot fill: ${missing.join(", ")}`);
  }
  call.submitted?.();
  // As XEP-0133 §4.1 submits: no action attribute, which means "execute" (ejabberd expects exactly that).
  return checked(await send(buildCommand({ node, sessionid, form })));
}

function checked(reply: CommandReply): CommandReply {
  const error = reply.notes.find((n) => n.type === "error");
  if (error) throw new AdminCommandError(reply.node, error.text);
  return reply;
}
