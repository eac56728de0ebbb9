// Openfire User Service plugin: `type=add|delete|update|enable|disable|…_roster` + `secret`
// (docs/provisioning.md#2-openfire-user-service).
import { InternalServerError, requireTextOptions, ServiceUnavailableError, scrubText } from "@reguser/errors";
import type { NewUser, Provisioner } from "../provisioner.js";
import { IllegalArgumentError, OpenfireConfigurationError, UnexpectedResponseError } from "./errors.js";
import { checkTimeout, endpoint, type HttpReply, httpCall, redirectTarget, secretForms } from "./http.js";
import { ROSTER_SUBSCRIPTION, type RosterItem, type UserUpdate } from "./roster.js";
import { isOk, parseUserServiceReply, type RequestContext, userServiceError } from "./user-service-reply.js";

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

export interface OpenfireNewUser extends NewUser {
  /** Groups to put the user in; the plugin creates missing ones. Names cannot contain commas. */
  groups?: readonly string[] | undefined;
}

export interface UserServiceUpdate extends UserUpdate {
  /** Replaces the user's group memberships (`[]` leaves none). */
  groups?: readonly string[] | undefined;
}

export interface OpenfireUserServiceProvisioner extends Provisioner {
  createUser(user: OpenfireNewUser): Promise<void>;
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
    check(reply, { type, username, itemJid: params.item_jid }, url, secretForms(secrets));
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
    createUser: async (user) => call("add", user.username, userParams(user), [user.password]),
    deleteUser: async (username) => call("delete", username),
    changePassword: async (username, password) => call("update", username, { password }, [password]),
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

/**
 * Every plugin reply is HTTP 200 (docs/provisioning.md#22-requests-and-replies); other statuses come from the
 * container or a proxy.
 */
function check(reply: HttpReply, request: RequestContext, url: string, secrets: readonly string[]): void {
  const where = `User Service ${request.type}`;
  const { status } = reply;
  if (status >= 300 && status < 400) {
    throw new OpenfireConfigurationError(`${where}: redirected to ${redirectTarget(reply.location, url)}`, {
      status,
      hint: "Openfire sends plugin requests to its login page when adminConsole.access.allow-wildcards-in-excludes is not true",
    });
  }
  if (status === 404) {
    throw new OpenfireConfigurationError(`${where}: nothing at ${new URL(url).pathname} (HTTP 404)`, {
      status,
      hint: "is the User Service plugin installed? The REST API plugin's copy is at USER_SERVICE_PATHS.restApi",
    });
  }
  if (status === 503) throw new ServiceUnavailableError({ text: `${where}: HTTP 503` });
  if (status >= 500) throw new InternalServerError({ text: `${where}: HTTP ${status}` });
  const body = reply.body;
  const parsed = status === 200 ? parseUserServiceReply(body) : undefined;
  if (parsed === undefined) {
    if (reply.mediaType === "text/html") {
      throw new OpenfireConfigurationError(`${where}: an HTML page answered, not the plugin`, { status });
    }
    const text = body.trim() === "" ? `${where}: no reply (the plugin answers unknown types so)` : `${where}: no reply`;
    throw new UnexpectedResponseError(text, { status, body: scrub(body, secrets) });
  }
  if (!parsed.ok) throw userServiceError(parsed.error, request, secrets);
  if (!isOk(parsed))
    throw new UnexpectedResponseError(`${where}: a result other than ok`, { status, body: scrub(body, secrets) });
}

const scrub = (body: string, secrets: readonly string[]) => scrubText(body, secrets).slice(0, 200);
