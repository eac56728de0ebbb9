// XEP-0133 Service Administration: user management through an admin account's session.
import { authenticate } from "@reguser/auth";
import {
  ConflictError,
  FeatureNotImplementedError,
  ItemNotFoundError,
  ProtocolError,
  requireTextOptions,
} from "@reguser/errors";
import type { IqSession } from "@reguser/iq";
import { type CommandReply, NS } from "@reguser/protocol";
import type { NewAccount, Provisioner } from "@reguser/register";
import { type OpenStreamOptions, openStream, type XmppStream } from "@reguser/stream";
import xml from "@xmpp/xml";
import { AdminCommandError, runCommand } from "./run-command.js";

/** XEP-0133 §4 the user commands this provisioner runs, by the node each has. */
export const ADMIN_NODES = {
  addUser: `${NS.admin}#add-user`,
  removeUser: `${NS.admin}#delete-user`,
  changePassword: `${NS.admin}#change-user-password`,
  disableUser: `${NS.admin}#disable-user`,
  reenableUser: `${NS.admin}#reenable-user`,
} as const;

/** XEP-0401 §5 the invite commands (Prosody's mod_invites_adhoc): an account invite, and a contact invite. */
export const INVITE_NODES = {
  createAccount: `${NS.invite}#create-account`,
  contact: `${NS.invite}#invite`,
} as const;

export interface Xep0133Options {
  /** How to reach the server; `domain` is where accounts are created. */
  connect: OpenStreamOptions;
  /** The admin account: listed in Prosody's `admins`, or in ejabberd's `configure` access rule. */
  admin: { username: string; password: string };
  /** Milliseconds to wait for each command's reply; default the stream's timeout. */
  timeout?: number;
}

/** Notes that mean "already exists" or "no such user" where servers only say it in words. */
const EXISTS = /already exists|user-exists/i;
const MISSING = /does not exist|could not be deleted|not found/i;

/**
 * A `Provisioner` that logs in as `admin` (once, on first use) and runs XEP-0133 commands. A missing or empty
 * admin `username` or `password`, or `connect.host`, is an `InvalidOptionError` here, before anything is sent.
 */
export function xep0133Provisioner(options: Xep0133Options): Provisioner {
  // Checked up front: an undefined password would otherwise reach the server and come back as a 401.
  const given = {
    ...options?.connect,
    "admin.username": options?.admin?.username,
    "admin.password": options?.admin?.password,
  };
  requireTextOptions("xep0133Provisioner", given, { required: ["admin.username", "admin.password", "host"] });
  const domain = options.connect.domain ?? options.connect.host;
  let session: Promise<{ stream: XmppStream; nodes: Set<string> }> | undefined;

  const connect = async () => {
    const stream = await openStream(options.connect);
    try {
      await authenticate(stream, { ...options.admin, resource: `reguser-admin-${process.pid}` });
      return { stream, nodes: await discoverCommands(stream, domain) };
    } catch (err) {
      await stream.close();
      throw err;
    }
  };
  const run = async (node: string, values: Record<string, string | string[]>, secrets: string[]) => {
    session ??= connect();
    const { stream, nodes } = await session.catch((err) => {
      session = undefined;
      throw err;
    });
    if (!nodes.has(node)) {
      throw new FeatureNotImplementedError({
        text: `${domain} does not offer ${node} to this account`,
        hint: nodes.size === 0 ? "is it an admin? servers hide admin commands from others" : undefined,
      });
    }
    return runCommand(stream, { to: domain, node, values, secrets, timeout: options.timeout });
  };
  const jid = (username: string) => `${username}@${domain}`;

  return {
    async createUser(account: NewAccount) {
      const { username, password } = account;
      const values = { accountjid: jid(username), password, "password-verify": password, email: account.email ?? [] };
      await translate(run(ADMIN_NODES.addUser, { ...values, given_name: account.name ?? [] }, [password]));
    },
    async removeUser(username: string) {
      await translate(run(ADMIN_NODES.removeUser, { accountjids: [jid(username)] }, []), { infoMeansMissing: true });
    },
    async changePassword({ username, password }: { username: string; password: string }) {
      await translate(run(ADMIN_NODES.changePassword, { accountjid: jid(username), password }, [password]));
    },
    async disableUser(username: string) {
      await translate(run(ADMIN_NODES.disableUser, { accountjids: [jid(username)] }, []));
    },
    async enableUser(username: string) {
      await translate(run(ADMIN_NODES.reenableUser, { accountjids: [jid(username)] }, []));
    },
    async createInvite() {
      const reply = await translate(run(INVITE_NODES.createAccount, {}, []));
      const uri = reply.form?.fields.find((f) => f.var === "uri")?.values[0];
      if (!uri) throw new ProtocolError(`${INVITE_NODES.createAccount} answered without an invite URI`);
      return uri;
    },
    async close() {
      const current = session;
      session = undefined;
      if (current) await (await current.catch(() => undefined))?.stream.close();
    },
  };
}

/** XEP-0030 items on the commands node: which admin commands this account may run. */
async function discoverCommands(session: IqSession, domain: string): Promise<Set<string>> {
  const query = xml("query", { xmlns: NS.discoItems, node: NS.commands });
  const reply = await session.request(xml("iq", { type: "get", to: domain }, query));
  const items = reply.getChild("query")?.getChildren("item") ?? [];
  return new Set(items.map((item) => String(item.attrs.node)));
}

/**
 * docs/provisioning.md#34-rules, rule 4: error notes become typed errors where the words are clear; Prosody's
 * delete of an unknown user is an *info* note saying it could not be deleted.
 */
async function translate(call: Promise<CommandReply>, how: { infoMeansMissing?: boolean } = {}): Promise<CommandReply> {
  let reply: CommandReply;
  try {
    reply = await call;
  } catch (err) {
    if (err instanceof AdminCommandError && EXISTS.test(err.note))
      throw new ConflictError({ text: err.note, cause: err });
    if (err instanceof AdminCommandError && MISSING.test(err.note))
      throw new ItemNotFoundError({ text: err.note, cause: err });
    throw err;
  }
  const info = reply.notes.find((n) => n.type === "info" && /could not be deleted/i.test(n.text));
  if (how.infoMeansMissing && info) throw new ItemNotFoundError({ text: info.text });
  if (reply.status !== "completed")
    throw new ProtocolError(`${reply.node} ended with status ${reply.status ?? "none"}`);
  return reply;
}
