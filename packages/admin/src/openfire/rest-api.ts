// Openfire REST API plugin: /plugins/restapi/v1/users…, lockouts, roster with the `Authorization` secret
// (docs/provisioning.md#1-openfire-rest-api).
import { BadRequestError, ItemNotFoundError, requireTextOptions } from "@reguser/errors";
import type { NewAccount, Provisioner } from "@reguser/register";
import { checkTimeout, type HttpCall, type HttpReply, httpCall, secretForms } from "../http.js";
import { UnexpectedResponseError } from "../unexpected-response.js";
import { OpenfireConfigurationError, OpenfireError } from "./errors.js";
import { endpoint } from "./http.js";
import { restApiError } from "./rest-api-errors.js";
import { ROSTER_SUBSCRIPTION, type RosterItem, type UserUpdate } from "./roster.js";

export const REST_API_PATH = "/plugins/restapi/v1";

/** What both authentication modes of `OpenfireRestApiOptions` take. */
export interface CommonOptions {
  /** The admin console's address, e.g. `http://openfire.example:9090` (HTTPS: 9091). */
  baseUrl: string;
  /** Per request, in ms (default 10 000). */
  timeout?: number;
}

/** Shared-secret mode (the default), or Basic as an Openfire admin when `plugin.restapi.httpAuth` is `basic`. */
export type OpenfireRestApiOptions = CommonOptions &
  (
    | { /** Sent as the bare `Authorization` header. */ secret: string; basic?: undefined }
    | { basic: { username: string; password: string }; secret?: undefined }
  );

export interface OpenfireRestApiProvisioner extends Provisioner {
  /** `GET /users/{username}`: 200 is true, 404 with `UserNotFoundException` false. */
  userExists(username: string): Promise<boolean>;
  /** Changes what is given and keeps the user's properties (the plugin would clear them). */
  updateUser(username: string, update: UserUpdate): Promise<void>;
  /** `ConflictError` when the roster has the JID already. */
  addRosterItem(username: string, item: RosterItem): Promise<void>;
  /** A nickname or groups left out stay; a subscription left out becomes `none`. */
  updateRosterItem(username: string, item: RosterItem): Promise<void>;
  /** `ItemNotFoundError` when the roster has no such item. */
  deleteRosterItem(username: string, jid: string): Promise<void>;
}

type Method = HttpCall["method"];

/** A `Provisioner` over the REST API plugin, with its shared secret or an admin's Basic credentials (both checked here). */
export function openfireRestApiProvisioner(options: OpenfireRestApiOptions): OpenfireRestApiProvisioner {
  const base = endpoint(options.baseUrl, REST_API_PATH);
  const timeout = checkTimeout(options.timeout);
  if (options.basic) {
    const basic = { "basic.username": options.basic.username, "basic.password": options.basic.password };
    requireTextOptions("openfireRestApiProvisioner", basic, { required: Object.keys(basic) });
  }
  const authorization = options.basic
    ? `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString("base64")}`
    : options.secret;
  if (!authorization) throw new OpenfireConfigurationError("the REST API needs a secret or Basic credentials");
  const authSecrets = [options.secret, options.basic?.password, authorization];
  let closer = new AbortController();

  const call = async (method: Method, path: string, operation: string, body?: object, passwords: string[] = []) => {
    const secrets = [...authSecrets, ...passwords];
    const reply = await httpCall({
      method,
      url: `${base}${path}`,
      headers: {
        authorization,
        accept: "application/json",
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      operation: `Openfire REST API ${operation}`,
      timeout,
      secrets,
      signal: closer.signal,
    });
    if (reply.status < 200 || reply.status >= 300 || reply.mediaType === "text/html") {
      throw restApiError(reply, `Openfire REST API ${operation}`, `${base}${path}`, secretForms(secrets));
    }
    return reply;
  };
  const user = (username: string) => `/users/${segment(username, "username")}`;
  const rosterBody = (item: RosterItem) => ({
    jid: item.jid,
    nickname: item.nickname,
    subscriptionType: item.subscription === undefined ? undefined : ROSTER_SUBSCRIPTION[item.subscription],
    groups: item.groups,
  });
  const updateUser = async (username: string, update: UserUpdate) => {
    const path = user(username);
    // UserServiceController.updateUser clears every property the body leaves out: send back what is there.
    const current = parseUser(await call("GET", path, `updateUser ${JSON.stringify(username)}`));
    const { password, name, email } = update;
    const body = { password, name, email, properties: current.properties };
    await call("PUT", path, `updateUser ${JSON.stringify(username)}`, body, password === undefined ? [] : [password]);
  };

  return {
    async createUser(account: NewAccount) {
      const { username, password, name, email } = account;
      await call("POST", "/users", `createUser ${JSON.stringify(username)}`, { username, password, name, email }, [
        password,
      ]);
    },
    async removeUser(username) {
      await call("DELETE", user(username), `removeUser ${JSON.stringify(username)}`);
    },
    async userExists(username) {
      try {
        await call("GET", user(username), `userExists ${JSON.stringify(username)}`);
        return true;
      } catch (err) {
        // Only the plugin's own exception means "no such user"; a refused secret or a missing plugin stays an error.
        const exception = err instanceof ItemNotFoundError && err.cause instanceof OpenfireError && err.cause.exception;
        if (exception === "UserNotFoundException") return false;
        throw err;
      }
    },
    changePassword: ({ username, password }) => updateUser(username, { password }),
    updateUser,
    async disableUser(username) {
      await call("POST", `/lockouts/${segment(username, "username")}`, `disableUser ${JSON.stringify(username)}`);
    },
    async enableUser(username) {
      await call("DELETE", `/lockouts/${segment(username, "username")}`, `enableUser ${JSON.stringify(username)}`);
    },
    async addRosterItem(username, item) {
      await call("POST", `${user(username)}/roster`, `addRosterItem ${JSON.stringify(username)}`, rosterBody(item));
    },
    async updateRosterItem(username, item) {
      const path = `${user(username)}/roster/${segment(item.jid, "JID")}`;
      await call("PUT", path, `updateRosterItem ${JSON.stringify(username)}`, rosterBody(item));
    },
    async deleteRosterItem(username, jid) {
      const path = `${user(username)}/roster/${segment(jid, "JID")}`;
      await call("DELETE", path, `deleteRosterItem ${JSON.stringify(username)}`);
    },
    async close() {
      closer.abort();
      closer = new AbortController();
    },
  };
}

/** One path segment; `.` and `..` (even percent-encoded) would be resolved away by the URL parser. */
function segment(value: string, what: string): string {
  if (value === "" || value === "." || value === "..") {
    throw new BadRequestError({ text: `${what} ${JSON.stringify(value)} cannot be addressed in the REST API's paths` });
  }
  return encodeURIComponent(value);
}

/** `GET /users/{username}`: `{"username","name","email","properties"}`; properties go back as they came. */
function parseUser(reply: HttpReply): { properties: unknown } {
  try {
    const json: unknown = JSON.parse(reply.body);
    if (typeof json === "object" && json !== null && "username" in json) {
      return { properties: (json as { properties?: unknown }).properties };
    }
  } catch {}
  throw new UnexpectedResponseError("Openfire REST API: GET user did not return a user", {
    status: reply.status,
    body: reply.body.slice(0, 200),
  });
}
