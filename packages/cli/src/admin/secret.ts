// The admin's password or Openfire secret: --admin-password-stdin, else the environment, else a prompt. Never a flag.
import type { CommandName } from "../commands.js";
import type { AdminFlags } from "../invocation.js";
import type { Io } from "../io.js";
import type { PasswordSource } from "../passwords.js";
import { UsageError } from "../usage-error.js";
import { DEFAULT_SECRET_ENV } from "./args.js";

export async function readAdminSecret(
  flags: AdminFlags,
  io: Io,
  passwords: PasswordSource,
  command: CommandName,
): Promise<string> {
  const what = flags.backend === "xep0133" ? "Admin password" : "Admin secret";
  if (flags.secretStdin) return passwords.readAdmin(what);
  const fromEnv = io.env?.[flags.secretEnv];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (io.stdin.isTTY) return passwords.readAdmin(what);
  // A name given with --admin-secret-env is not echoed: it may be a secret pasted there by mistake.
  const variable =
    flags.secretEnv === DEFAULT_SECRET_ENV[flags.backend] ? flags.secretEnv : "the variable --admin-secret-env names";
  throw new UsageError(
    `${what} needed: set ${variable}, pass --admin-password-stdin, or run on a terminal to be prompted`,
    command,
  );
}
