// Openfire User Service plugin: `type=add|delete|update|enable|disable|…_roster` + `secret`
// (docs/provisioning.md#2-openfire-user-service).
import { requireTextOptions } from "@reguser/errors";
import type { NewAccount, Provisioner } from "@reguser/register";
import { checkTimeout, httpCall, secretForms } from "../http.js";
import { IllegalArgumentError } from "./errors.js";
import { endpoint } from "./http.js";
import { ROSTER_SUBSCRIPTION, type RosterItem, type UserUpdate } from "./roster.js";
import { checkUserServiceReply } from "./user-service-reply.js";

/** Where the servlet answers: the plugin, or the REST API plugin's copy (docs/provisioning.md#21-status-and-paths). */
export const USER_SERVICE_PATHS = {
  plugin: "/plugins/userService/userservice",
  restApi: "/plugins/restapi/v1/userservice",
} as const;

export interface OpenfireUserServiceOptions {
  /** The admin console's address, e.g. `http://openfire.example:9090`. */
  baseUrl: string;
  /** The plugin's secret (admin console: Server > Server Settings > User Service). */
  secret: string;
  /** Default `USER_SERVICE_PATHS.plugin`. */
  path?: string;
  /**
   * `POST` (default) sends the parameters as a UTF-8 form body; `GET` puts them, secret and password included,
   * in the query string as the readme's samples do, where proxies and access logs keep them.
   */
  method?: "POST" | "GET";
  /** Per request, in ms (default 10 000). */
  timeout?: number;
}

/** What the User Service's `createUser` takes beyond the account. */
export interface UserServiceCreateOptions {
  /** Groups to put the user in; the plugin creates missing ones. Names cannot contain commas. */
  groups?: readonly string[] | undefined;
}

export interface UserServiceUpdate extends UserUpdate {
  /** Replaces the user's group memberships (`[]` leaves none). */
  groups?: readonly string[] | undefined;
}

export interface OpenfireUserServiceProvisioner extends Provisioner {
  /** `Provisioner.createUser`, and the groups to put the user in. */
  createUser(account: NewAccount, options?: UserServiceCreateOptions): Promise<void>;
  /** Change what `update` gives (name, email, password, groups) and leave the rest as it is. */
  updateUser(username: string, update: UserServiceUpdate): Promise<void>;
  /** `ConflictError` when the roster has the JID already. */
  addRosterItem(username: string, item: RosterItem): Promise<void>;
  /** Replaces the item: a nickname, groups or subscription left out are cleared (`none`). */
  updateRosterItem(username: string, item: RosterItem): Promise<void>;
  /** Succeeds when the roster has no such item (the plugin does not say). */
  deleteRosterItem(username: string, jid: string): Promise<void>;
}

type Params = Record<string, string | undefined>;

/** A `Provisioner` over the User Service plugin. A missing or empty `secret` is an `InvalidOptionError` here. */
export function openfireUserServiceProvisioner(options: OpenfireUserServiceOptions): OpenfireUserServiceProvisioner {
  requireTextOptions("openfireUserServiceProvisioner", options, { required: ["secret"] });
  const url = endpoint(options.baseUrl, options.path ?? USER_SERVICE_PATHS.plugin);
  const method = options.method ?? "POST";
  const timeout = checkTimeout(options.timeout);
  let closer = new AbortController();

  const call = async (type: string, username: string, params: Params = {}, passwords: string[] = []) => {
    const query = new URLSearchParams({ type, secret: options.secret, username });
    for (const [name, value] of Object.entries(params)) if (value !== undefined) query.append(name, value);
    const secrets = [options.secret, ...passwords];
    const reply = await httpCall({
      method,
      url: method === "GET" ? `${url}?${query}` : url,
      headers: method === "POST" ? { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" } : {},
      body: method === "POST" ? query : undefined,
      operation: `Openfire User Service ${type}`,
      timeout,
      secrets,
      signal: closer.signal,
    });
    checkUserServiceReply(reply, { type, username, itemJid: params.item_jid }, url, secretForms(secrets));
  };
  const userParams = (user: UserServiceUpdate): Params => ({
    password: user.password,
    name: user.name,
    email: user.email,
    groups: groupList(user.groups),
  });
  const rosterParams = (item: RosterItem): Params => ({
    item_jid: item.jid,
    name: item.nickname,
    subscription: item.subscription === undefined ? undefined : String(ROSTER_SUBSCRIPTION[item.subscription]),
    groups: groupList(item.groups),
  });
  const passwordOf = (user: UserUpdate) => (user.password === undefined ? [] : [user.password]);

  // async: a bad argument (a comma in a group name) rejects rather than throws.
  return {
    createUser: async (account, extra = {}) => {
      const { password, name, email } = account;
      await call("add", account.username, userParams({ password, name, email, groups: extra.groups }), [password]);
    },
    removeUser: async (username) => call("delete", username),
    changePassword: async ({ username, password }) => call("update", username, { password }, [password]),
    disableUser: async (username) => call("disable", username),
    enableUser: async (username) => call("enable", username),
    updateUser: async (username, update) => call("update", username, userParams(update), passwordOf(update)),
    addRosterItem: async (username, item) => call("add_roster", username, rosterParams(item)),
    updateRosterItem: async (username, item) => call("update_roster", username, rosterParams(item)),
    deleteRosterItem: async (username, jid) => call("delete_roster", username, { item_jid: jid }),
    async close() {
      closer.abort();
      closer = new AbortController();
    },
  };
}

/** The plugin splits `groups` on commas (StringTokenizer), so a comma in a name would make two groups. */
function groupList(groups: readonly string[] | undefined): string | undefined {
  if (groups === undefined) return undefined;
  const bad = groups.find((g) => g.includes(","));
  if (bad !== undefined) throw new IllegalArgumentError({ text: `group name ${JSON.stringify(bad)} has a comma` });
  return groups.join(",");
}
