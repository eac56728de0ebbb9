// Passwords for bulk accounts that bring none: from a template, random, or one shared password.
import { randomBytes } from "node:crypto";
import type { BulkFlags } from "../invocation.js";
import type { PasswordSource } from "../passwords.js";
import { UsageError } from "../usage-error.js";
import type { PasswordFor } from "./accounts.js";

/** 16 characters from 96 random bits. */
export const randomPassword = (): string => randomBytes(12).toString("base64url");

export function templatePassword(template: string): PasswordFor {
  if (template === "") throw new UsageError("--password-template is empty", "bulk");
  return (username) => template.replaceAll("{user}", username);
}

/** A pattern needs a password from somewhere; a CSV file may bring its own. */
export async function passwordFor(flags: BulkFlags, passwords: PasswordSource): Promise<PasswordFor> {
  if (flags.passwordTemplate !== undefined) return templatePassword(flags.passwordTemplate);
  if (flags.randomPasswords) return randomPassword;
  if (flags.passwordStdin || (flags.pattern !== undefined && passwords.available)) {
    const shared = await passwords.read("Password for every account");
    return () => shared;
  }
  if (flags.pattern !== undefined) {
    throw new UsageError(
      "a pattern needs passwords: --password-template, --random-passwords (with --out), --password-stdin, or a terminal",
      "bulk",
    );
  }
  return () => undefined;
}
