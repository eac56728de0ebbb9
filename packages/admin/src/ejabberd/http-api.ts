// ejabberd's HTTP API (mod_http_api): POST /api/register, unregister, change_password, check_account with JSON, as
// an admin over HTTP Basic (docs/provisioning.md#41-ejabberd-http-api).
import { FeatureNotImplementedError, ItemNotFoundError } from "@reguser/errors";
import type { NewAccount, Provisioner } from "@reguser/register";
import { httpCall, secretForms } from "../http.js";
import { localpartProblem } from "../jid-batches.js";
import { type EjabberdHttpApiOptions, resolveOptions } from "./options.js";
import { type CommandContext, resultOf, unexpected } from "./reply.js";

/** The ejabberd `Provisioner`: `userExists` is always there; `disableUser` and `enableUser` always refuse. */
export interface EjabberdHttpApiProvisioner extends Provisioner {
  /** `check_account`: 200 with `0` (exists) or `1`. A host ejabberd does not serve answers `1` as well. */
  userExists(username: string): Promise<boolean>;
}

/** The rescode commands' answers: `check_account`, `change_password`. */
const RESCODE = { ok: 0, error: 1 } as const;
/** The restuple commands' answer: `register`, `unregister` (`""`). */
const isMessage = (value: unknown) => typeof value === "string";

/**
 * A `Provisioner` over ejabberd's `mod_http_api`, authenticating with HTTP Basic as `admin`, an account in the
 * `admin` acl that `api_permissions` lets call `register`, `unregister`, `change_password` and `check_account`
 * (docs/provisioning.md#411-configuration). A missing or empty `baseUrl`, `host`, admin JID (or username) or
 * password, or a `baseUrl` that is not a plain http(s) URL, is an `InvalidOptionError` here, before anything is sent.
 *
 * - `createUser` sends `username` and `password` only: this API keeps no name or e-mail (`register` refuses
 *   arguments it does not know with a 400).
 * - `removeUser` asks `check_account` first and throws `ItemNotFoundError` for a missing user: `unregister` answers
 *   200 whether or not the account was there. An account removed by someone else between the two calls is a
 *   success.
 * - `disableUser` and `enableUser` reject with `FeatureNotImplementedError`: ejabberd 23.01's `ban_account` sets a
 *   random password (the old one is gone) and has no command to undo it.
 * - A username that cannot be a JID's localpart (empty, a space, `@`…) is a `JidMalformedError`, unsent: `register`
 *   takes an empty `user` and makes the account `@host`.
 * - `close()` aborts calls in flight (`AbortError`); the provisioner stays usable.
 */
export function ejabberdHttpApiProvisioner(options: EjabberdHttpApiOptions): EjabberdHttpApiProvisioner {
  const { api, host, adminJid, authorization, authSecrets, timeout } = resolveOptions(options);
  let closer = new AbortController();

  /** One command about `username`; its 200 value must be one `accept` takes (else `UnexpectedResponseError`). */
  const call = async (
    command: string,
    username: string,
    accept: (value: unknown) => boolean,
    args: Record<string, string> = {},
    passwords: string[] = [],
  ) => {
    const problem = localpartProblem(username);
    if (problem) throw problem;
    const secrets = [...authSecrets, ...passwords];
    const context: CommandContext = {
      where: `ejabberd HTTP API ${command} ${JSON.stringify(username)}`,
      command,
      jid: `${username}@${host}`,
      host,
      adminJid,
      secrets: secretForms(secrets),
    };
    const reply = await httpCall({
      method: "POST",
      url: `${api}/${command}`,
      headers: { authorization, accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ user: username, host, ...args }),
      operation: context.where,
      timeout,
      secrets,
      signal: closer.signal,
    });
    const value = resultOf(reply, context);
    if (!accept(value)) throw unexpected(reply, context);
    return value;
  };
  const exists = async (username: string) =>
    (await call("check_account", username, (v) => v === RESCODE.ok || v === RESCODE.error)) === RESCODE.ok;
  const refuse = async (what: string) => {
    throw new FeatureNotImplementedError({
      text: `ejabberd's HTTP API cannot ${what} an account`,
      hint: "ban_account replaces the password with a random one and ejabberd 23.01 has no command to undo it",
    });
  };

  return {
    async createUser({ username, password }: NewAccount) {
      await call("register", username, isMessage, { password }, [password]);
    },
    async removeUser(username) {
      if (!(await exists(username))) {
        throw new ItemNotFoundError({
          text: `ejabberd HTTP API check_account ${JSON.stringify(username)}: no account ${username}@${host}`,
        });
      }
      await call("unregister", username, isMessage);
    },
    userExists: exists,
    async changePassword({ username, password }) {
      await call("change_password", username, (v) => v === RESCODE.ok, { newpass: password }, [password]);
    },
    disableUser: () => refuse("disable"),
    enableUser: () => refuse("enable"),
    async close() {
      closer.abort();
      closer = new AbortController();
    },
  };
}
