// What startServer accepts, with the defaults of jabberd 1.4 as the book describes it.
import type { ErrorStyle } from "@reguser/errors";

export const AUTH_METHODS = ["plain", "digest", "0k"] as const;
export type ServerAuthMethod = (typeof AUTH_METHODS)[number];

export interface ServerOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1: loopback only. */
  host?: string;
  /** Default `localhost`. */
  domain?: string;
  /** In-band registration on. Default true; off answers the inquiry with 501 (and the book's quirks on the set). */
  registration?: boolean;
  /** Fields listed besides username and password. Default `name`, `email` (the book's `<register/>` section). */
  fields?: readonly string[];
  instructions?: string;
  /** How errors are written: `legacy` (code + text, jabberd 1.4), `modern` (type + condition), `both` (default). */
  errors?: ErrorStyle;
  /** Methods offered by jabber:iq:auth. Default all three. */
  authMethods?: readonly ServerAuthMethod[];
  /** Hash chain length after a (re)set password: jabberd's default 500. */
  zeroKnowledgeSequences?: number;
  /** Largest stanza accepted, in bytes. Default 1 MiB. */
  maxStanzaBytes?: number;
  /** Most connections at once. Default 1,000. */
  maxConnections?: number;
  /** Receives redacted traffic and events; secrets never reach it. */
  log?: (line: string) => void;
  /** Clock for 0k tokens (hex Unix time at reset). */
  now?: () => number;
}

export type ResolvedOptions = Required<Omit<ServerOptions, "log">> & Pick<ServerOptions, "log">;

export function resolveOptions(options: ServerOptions): ResolvedOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    domain: options.domain ?? "localhost",
    registration: options.registration ?? true,
    fields: options.fields ?? ["name", "email"],
    instructions: options.instructions ?? "Choose a username and password to register with this server.",
    errors: options.errors ?? "both",
    authMethods: options.authMethods ?? AUTH_METHODS,
    zeroKnowledgeSequences: options.zeroKnowledgeSequences ?? 500,
    maxStanzaBytes: options.maxStanzaBytes ?? 1024 * 1024,
    maxConnections: options.maxConnections ?? 1000,
    log: options.log,
    now: options.now ?? Date.now,
  };
}
