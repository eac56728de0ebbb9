// XEP-0133 Service Administration: user management through an admin account's session.
import { authenticate } from "@reguser/auth";
import {
  ConflictError,
  FeatureNotImplementedError,
  InvalidOptionError,
  ItemNotFoundError,
  ProtocolError,
  requireTextOptions,
} from "@reguser/errors";
import type { IqSession } from "@reguser/iq";
import { type CommandReply, NS } from "@reguser/protocol";
import type { BatchRemoval, NewAccount, Provisioner } from "@reguser/register";
import { type OpenStreamOptions, openStream, streamDomain, streamTarget, type XmppStream } from "@reguser/stream";
import xml from "@xmpp/xml";
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_SUBMIT_BYTES } from "./jid-batches.js";
import { type DeleteHooks, removeUsers } from "./remove-users.js";
import { AdminCommandError, type CommandCall, runCommand } from "./run-command.js";

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
  /** `removeUsers`: most JIDs in one delete-user command. Default `DEFAULT_BATCH_SIZE` (500). */
  batchSize?: number;
  /**
   * `removeUsers`: most bytes in one delete-user submit, the whole IQ. Default `DEFAULT_MAX_SUBMIT_BYTES` (9,000),
   * under Prosody's 10,000-byte limit for a session that logged in with jabber:iq:auth; raise it (below
   * `max_stanza_size`) for fewer commands on ejabberd.
   */
  maxSubmitBytes?: number;
}

/** The XEP-0133 `Provisioner`: `removeUsers` is always there. */
export interface Xep0133Provisioner extends Provisioner {
  /**
   * Delete `usernames` with one delete-user command per batch (`batchSize`, `maxSubmitBytes`); see
   * `Provisioner.removeUsers`. A batch the server refuses as a whole because of some JIDs (ejabberd does, for an
   * unknown one) is split until they stand alone. A server that will not take several JIDs in one command is a
   * `BatchRefusedError`.
   */
  removeUsers(usernames: readonly string[]): Promise<BatchRemoval>;
}

/** Notes that mean "already exists" or "no such user" where servers only say it in words. */
const EXISTS = /already exists|user-exists/i;
const MISSING = /does not exist|could not be deleted|not found/i;

/**
 * A `Provisioner` that logs in as `admin` (once, on first use, and again if the server ended the stream) and runs
 * XEP-0133 commands; `removeUsers` sends many JIDs per delete-user (docs/provisioning.md#35-many-jids). A missing
 * or empty admin `username` or `password`, `connect` naming no host or URL, or a `batchSize` or `maxSubmitBytes` that is not a
 * whole number ≥ 1, is an `InvalidOptionError` here, before anything is sent.
 */
export function xep0133Provisioner(options: Xep0133Options): Xep0133Provisioner {
  // Checked up front: an undefined password would otherwise reach the server and come back as a 401.
  const given = {
    ...options?.connect,
    "admin.username": options?.admin?.username,
    "admin.password": options?.admin?.password,
  };
  requireTextOptions("xep0133Provisioner", given, { required: ["admin.username", "admin.password"] });
  streamTarget(options.connect);
  const domain = streamDomain(options.connect);
  const limits = {
    domain,
    batchSize: wholeNumber("batchSize", options.batchSize ?? DEFAULT_BATCH_SIZE),
    maxSubmitBytes: wholeNumber("maxSubmitBytes", options.maxSubmitBytes ?? DEFAULT_MAX_SUBMIT_BYTES),
  };
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
  const run = async (
    node: string,
    values: Record<string, string | readonly string[]>,
    secrets: string[],
    hooks: Pick<CommandCall, "check" | "submitted"> = {},
  ) => {
    // A stream the server ended (a stanza over its limit, a restart): log in again rather than fail every call.
    const old = session;
    if (old && (await old.catch(() => undefined))?.stream.closed && session === old) session = undefined;
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
    return runCommand(stream, { to: domain, node, values, secrets, timeout: options.timeout, ...hooks });
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
    async removeUsers(usernames: readonly string[]) {
      const command = (jids: readonly string[], hooks: DeleteHooks) =>
        run(ADMIN_NODES.removeUser, { accountjids: jids }, [], hooks);
      return removeUsers(usernames, command, limits);
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

function wholeNumber(option: string, value: number): number {
  if (Number.isInteger(value) && value >= 1) return value;
  throw new InvalidOptionError("xep0133Provisioner", option, String(value), "a whole number of at least 1");
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
