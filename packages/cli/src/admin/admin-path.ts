// The provisioner behind --admin: built from the flags and the credential, its failures named as the admin's.
import {
  type NewUser,
  openfireRestApiProvisioner,
  openfireUserServiceProvisioner,
  type Provisioner,
  xep0133Provisioner,
} from "@reguser/admin";
import { NotAuthorizedError, type OpenStreamOptions } from "reguser";
import type { CommandName } from "../commands.js";
import { streamOptions } from "../connect.js";
import type { AdminFlags, ConnectFlags } from "../invocation.js";
import type { Io } from "../io.js";
import type { PasswordSource } from "../passwords.js";
import { UsageError } from "../usage-error.js";
import { AdminCredentialError } from "./credential-error.js";
import { readAdminSecret } from "./secret.js";

export interface AdminPath {
  /** Names the path in messages (`--admin xep0133 as boss@localhost`); never the secret. */
  readonly label: string;
  /** --admin-only: book and bulk skip the in-band attempt. */
  readonly only: boolean;
  createUser(user: NewUser): Promise<void>;
  deleteUser(username: string): Promise<void>;
  changePassword(username: string, password: string): Promise<void>;
  close(): Promise<void>;
}

/** Reads the credential (after any account passwords: stdin's order) and builds the provisioner; sends nothing. */
export async function openAdminPath(
  flags: AdminFlags,
  connect: ConnectFlags,
  context: { io: Io; passwords: PasswordSource; command: CommandName },
): Promise<AdminPath> {
  const { io, passwords, command } = context;
  const secret = await readAdminSecret(flags, io, passwords, command);
  const options = await streamOptions(connect, command);
  const label =
    flags.backend === "xep0133"
      ? `--admin xep0133 as ${flags.username}@${options.domain ?? options.host}`
      : `--admin ${flags.backend} at ${flags.url}`;
  const provisioner = build(flags, secret, options, command);
  const call = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      throw err instanceof NotAuthorizedError && !(err instanceof AdminCredentialError)
        ? new AdminCredentialError(label, err)
        : err;
    }
  };
  return {
    label,
    only: flags.only,
    createUser: (user) => call(() => provisioner.createUser(user)),
    deleteUser: (username) => call(() => provisioner.deleteUser(username)),
    changePassword: (username, password) => call(() => provisioner.changePassword(username, password)),
    close: () => provisioner.close(),
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
