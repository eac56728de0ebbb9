// What a parsed command line asks for: one shape per command, already validated.
import type { AuthMethod, TlsMode } from "reguser";
import type { CommandName } from "./commands.js";
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
}

export interface Common {
  connect: ConnectFlags;
  json: boolean;
  passwordStdin: boolean;
}

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
  report: string | undefined;
  out: string | undefined;
  progress: boolean;
}

export type Invocation =
  | { command: "help"; topic: CommandName | undefined }
  | { command: "version" }
  /** The book: no fields is an inquiry, fields are an attempt. */
  | ({ command: "book"; fields: Array<[string, string]> } & Common)
  | ({ command: "passwd" } & LoginFlags)
  | ({ command: "remove" } & LoginFlags)
  | ({ command: "auth"; methodsOnly: boolean } & LoginFlags)
  | ({ command: "bulk" } & BulkFlags);
