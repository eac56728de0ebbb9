// The provisioner behind --admin: built from the flags and the credential, its failures named as the admin's.
import {
  OpenfireConfigurationError,
  openfireRestApiProvisioner,
  openfireUserServiceProvisioner,
  UserServiceDisabledError,
  xep0133Provisioner,
} from "@reguser/admin";
import { FeatureNotImplementedError, NotAuthorizedError, type OpenStreamOptions, type Provisioner } from "reguser";
import type { CommandName } from "../commands.js";
import { streamOptions } from "../connect.js";
import { isConnectionFailure } from "../exit-codes.js";
import type { AdminFlags, ConnectFlags } from "../invocation.js";
import type { Io } from "../io.js";
import type { PasswordSource } from "../passwords.js";
import { InterruptedError, UsageError } from "../usage-error.js";
import { AdminCredentialError } from "./credential-error.js";
import { readAdminSecret } from "./secret.js";

/** The provisioner behind --admin, made on first use; a refused credential is an `AdminCredentialError`. */
export interface AdminPath extends Provisioner {
  /** Names the path in messages (`--admin xep0133 as boss@localhost`); never the secret. */
  readonly label: string;
  /** --admin-only: book and bulk skip the in-band attempt. */
  readonly only: boolean;
}

/**
 * The admin path the flags describe; sends nothing. The credential is read on first use (after any account
 * passwords: stdin's order), so a fallback that is never needed never asks for it.
 */
export async function openAdminPath(
  flags: AdminFlags,
  connect: ConnectFlags,
  context: { io: Io; passwords: PasswordSource; command: CommandName },
): Promise<AdminPath> {
  const { io, passwords, command } = context;
  const options = await streamOptions(connect, command);
  const label =
    flags.backend === "xep0133"
      ? `--admin xep0133 as ${flags.username}@${options.domain ?? options.host}`
      : `--admin ${flags.backend} at ${flags.url}`;
  let provisioner: Promise<Provisioner> | undefined;
  const provisioned = () => {
    provisioner ??= readAdminSecret(flags, io, passwords, command).then((secret) =>
      build(flags, secret, options, command),
    );
    return provisioner;
  };
  const call = async (work: (provisioner: Provisioner) => Promise<void>) => {
    const ready = await provisioned();
    try {
      await work(ready);
    } catch (err) {
      throw err instanceof NotAuthorizedError && !(err instanceof AdminCredentialError)
        ? new AdminCredentialError(label, err)
        : err;
    }
  };
  return {
    label,
    only: flags.only,
    createUser: (account) => call((p) => p.createUser(account)),
    removeUser: (username) => call((p) => p.removeUser(username)),
    changePassword: (change) => call((p) => p.changePassword(change)),
    disableUser: (username) => call((p) => p.disableUser(username)),
    enableUser: (username) => call((p) => p.enableUser(username)),
    close: async () => {
      const ready = await provisioner?.catch(() => undefined);
      await ready?.close();
    },
  };
}

function build(flags: AdminFlags, secret: string, connect: OpenStreamOptions, command: CommandName): Provisioner {
  const timeout = connect.timeout;
  try {
    switch (flags.backend) {
      case "xep0133":
        return xep0133Provisioner({ connect, admin: { username: flags.username, password: secret }, timeout });
      case "openfire-userservice":
        return openfireUserServiceProvisioner({ baseUrl: flags.url, secret, timeout });
      case "openfire-restapi":
        return openfireRestApiProvisioner({ baseUrl: flags.url, secret, timeout });
    }
  } catch (err) {
    // A URL the backend will not use: a usage error, its message without the URL or the secret.
    throw new UsageError(`--admin-url: ${err instanceof Error ? err.message : String(err)}`, command);
  }
}

/**
 * The admin path itself is unusable (no credential to be had, wrong credential, not an admin, unreachable,
 * misconfigured): a bulk run stops sending to it.
 */
export function stopsTheRun(err: Error): boolean {
  return (
    err instanceof UsageError ||
    err instanceof InterruptedError ||
    err instanceof NotAuthorizedError ||
    err instanceof FeatureNotImplementedError ||
    err instanceof OpenfireConfigurationError ||
    err instanceof UserServiceDisabledError ||
    isConnectionFailure(err)
  );
}
