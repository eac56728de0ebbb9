// What a parsed command line asks for: one shape per command, already validated.
import type { AuthMethod, TlsMode } from "reguser";
import type { CommandName } from "./commands.js";
import type { ADMIN_BACKENDS } from "./options.js";
import type { Target } from "./target.js";

export interface ConnectFlags {
  target: Target;
  domain: string | undefined;
  tls: TlsMode;
  /** Path of a PEM file with the CA certificates to trust. */
  ca: string | undefined;
  /** The library's allowInsecure: plaintext passwords over an unencrypted non-loopback stream. */
  insecure: boolean;
  legacy: boolean;
  timeout: number | undefined;
  /** The address to connect from (servers throttle registrations per address). */
  localAddress: string | undefined;
}

export interface Common {
  connect: ConnectFlags;
  json: boolean;
  passwordStdin: boolean;
}

/** --admin and its companions: how to reach the provisioner (see src/admin/). */
export type AdminFlags = {
  /** --admin-only: no in-band attempt first (book and bulk; passwd and remove never log in with --admin). */
  only: boolean;
  /** The environment variable read for the password or secret (--admin-secret-env, else the backend's default). */
  secretEnv: string;
  /** --admin-password-stdin: a line of stdin, after the account passwords. */
  secretStdin: boolean;
} & (
  | {
      backend: "xep0133";
      /** The admin account's local part; it lives in the domain the accounts are made in. */
      username: string;
    }
  | {
      backend: Exclude<(typeof ADMIN_BACKENDS)[number], "xep0133">;
      /** The admin console, `http://host:9090`. */
      url: string;
    }
);

export interface LoginFlags extends Common {
  username: string;
  resource: string;
  method: AuthMethod | "auto";
}

export type PasswordMode = "template" | "random" | "shared" | "csv";

export interface BulkFlags extends Common {
  pattern: string | undefined;
  csv: string | undefined;
  passwordTemplate: string | undefined;
  randomPasswords: boolean;
  concurrency: number | undefined;
  connections: number | undefined;
  /** --report FILE, or the --resume FILE this run goes on writing. */
  report: string | undefined;
  /** --resume FILE: an earlier run's JSON Lines report; its ok accounts are skipped. */
  resume: string | undefined;
  out: string | undefined;
  progress: boolean;
  /** The command line as given (without node and the script): an interrupted run prints it with --resume. */
  argv: readonly string[];
}

export type Invocation =
  | { command: "help"; topic: CommandName | undefined }
  | { command: "version" }
  /** The book: no fields is an inquiry, fields are an attempt. */
  | ({
      command: "book";
      fields: Array<[string, string]>;
      admin: AdminFlags | undefined;
      /** --invite: an attempt with this invite URI's token (XEP-0445). */
      invite: string | undefined;
      /** --captcha-out: where to write a CAPTCHA's image before asking for the answer. */
      captchaOut: string | undefined;
    } & Common)
  | ({ command: "passwd"; admin: AdminFlags | undefined } & LoginFlags)
  | ({ command: "remove"; admin: AdminFlags | undefined } & LoginFlags)
  | ({ command: "auth"; methodsOnly: boolean } & LoginFlags)
  /** --probe: register two throwaway accounts (and remove them) to see a throttle or an invite-only server. */
  | ({ command: "doctor"; probe: boolean } & Common)
  | ({ command: "bulk"; admin: AdminFlags | undefined } & BulkFlags);
