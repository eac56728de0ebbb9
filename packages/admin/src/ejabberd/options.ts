// The ejabberd HTTP API provisioner's options, checked once when it is made: nothing is sent on a bad one, and no
// message quotes a value (docs/provisioning.md#411-configuration).
import { InvalidOptionError, requireTextOptions } from "@reguser/errors";
import { checkTimeout } from "../http.js";

/** Where mod_http_api answers below `baseUrl`: the `request_handlers` key of ejabberd.yml. */
export const EJABBERD_API_PATH = "/api";

const OPERATION = "ejabberdHttpApiProvisioner";

export interface EjabberdHttpApiOptions {
  /**
   * The root of the `ejabberd_http` listener whose `request_handlers` map `/api` to `mod_http_api`, e.g.
   * `http://127.0.0.1:5443` – without `/api`.
   */
  baseUrl: string;
  /** The virtual host the accounts are on: one of ejabberd.yml's `hosts`. */
  host: string;
  /**
   * An account in the `admin` acl, for HTTP Basic: its full `jid` (`admin@example.com`), or its `username` on
   * `host`; and its password.
   */
  admin:
    | { jid: string; password: string; username?: undefined }
    | { username: string; password: string; jid?: undefined };
  /** Per request, in ms (default 10 000). */
  timeout?: number;
}

/** The options, checked, in the form the calls use. */
export interface ResolvedOptions {
  /** `baseUrl` + `/api`, no trailing slash. */
  api: string;
  host: string;
  /** The admin's JID, the Basic user name. */
  adminJid: string;
  authorization: string;
  /** The admin's password and every form of it the request carries. */
  authSecrets: string[];
  timeout: number;
}

/** `InvalidOptionError` for the first missing or malformed option; `RangeError` for a bad `timeout`. */
export function resolveOptions(options: EjabberdHttpApiOptions): ResolvedOptions {
  const admin = (options?.admin ?? {}) as Partial<{ jid: unknown; username: unknown; password: unknown }>;
  const byJid = admin.jid !== undefined || admin.username === undefined;
  const given = {
    baseUrl: options?.baseUrl,
    host: options?.host,
    [byJid ? "admin.jid" : "admin.username"]: byJid ? admin.jid : admin.username,
    "admin.password": admin.password,
  };
  requireTextOptions(OPERATION, given, { required: Object.keys(given) });
  const api = `${checkBaseUrl(options.baseUrl)}${EJABBERD_API_PATH}`;
  const adminJid = byJid ? checkJid(admin.jid as string) : `${checkUsername(admin.username as string)}@${options.host}`;
  const password = admin.password as string;
  const credentials = Buffer.from(`${adminJid}:${password}`).toString("base64");
  return {
    api,
    host: options.host,
    adminJid,
    authorization: `Basic ${credentials}`,
    authSecrets: [password, credentials],
    timeout: checkTimeout(options.timeout),
  };
}

/** The URL without a trailing slash. Credentials in it are refused: fetch would quote them in its error. */
function checkBaseUrl(baseUrl: string): string {
  const refuse = (received: string) =>
    new InvalidOptionError(
      OPERATION,
      "baseUrl",
      received,
      "an http: or https: URL without credentials, query or fragment",
    );
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw refuse("a string that is not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw refuse(`a URL of ${url.protocol}`);
  if (url.username || url.password) throw refuse("a URL with credentials (give them as admin)");
  if (url.search || url.hash) throw refuse("a URL with a query or a fragment");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** ejabberd reads the Basic user as a JID: without a localpart it is a host name, and every call is a 401. */
function checkJid(jid: string): string {
  const at = jid.indexOf("@");
  if (at <= 0 || at === jid.length - 1 || jid.includes("@", at + 1)) {
    throw new InvalidOptionError(
      OPERATION,
      "admin.jid",
      "a string that is not user@host",
      "a JID such as admin@example.com",
    );
  }
  return jid;
}

function checkUsername(username: string): string {
  if (username.includes("@")) {
    throw new InvalidOptionError(
      OPERATION,
      "admin.username",
      'a name with "@"',
      "a username on host (or give admin.jid)",
    );
  }
  return username;
}
