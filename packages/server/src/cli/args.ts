// argv → what to start: Node's util.parseArgs (strict) over the flag table, each value checked and converted.
import { parseArgs } from "node:util";
import {
  AUTH_METHODS,
  REGISTRATION_FORMS,
  type RegistrationForm,
  SASL_MECHANISMS,
  type SaslMechanism,
  type ServerAuthMethod,
  type ServerOptions,
} from "../options.js";
import { FLAGS, type FlagName } from "./flags.js";
import { UsageError } from "./usage-error.js";

/** What the command line asks for: the help, or a server with these options. */
export type CliRequest =
  | { kind: "help" }
  | {
      kind: "serve";
      /** Everything but the certificate, which is read from `tlsFiles`. */
      options: ServerOptions;
      tlsFiles: { cert: string; key: string } | undefined;
      /** Print the redacted traffic on stderr. */
      log: boolean;
    };

/**
 * What every CAPTCHA of a shell-started server "shows": a person trying a client by hand types it, and the answers
 * need neither a log nor the API.
 */
export const CLI_CAPTCHA_ANSWER = "123456";

/** The port a shell-started server takes unless told otherwise: XMPP's client port. */
export const DEFAULT_PORT = 5222;

const ERROR_STYLES = ["both", "legacy", "modern"] as const;

const PARSE_CONFIG = Object.fromEntries(
  Object.entries(FLAGS).map(([name, flag]) => [
    name,
    {
      type: "value" in flag ? ("string" as const) : ("boolean" as const),
      ...("multiple" in flag ? { multiple: true } : {}),
      ...(name === "help" ? { short: "h" } : {}),
    },
  ]),
);

/** Throws `UsageError` for an unknown flag, a missing or bad value, or an argument that is not a flag. */
export function parseServerArgs(argv: readonly string[]): CliRequest {
  const values = parse(argv);
  if (values.help) return { kind: "help" };
  const text = (name: FlagName) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const number = (name: FlagName, min: number, max = Number.MAX_SAFE_INTEGER) => integer(name, text(name), min, max);
  const options: ServerOptions = {
    port: number("port", 0, 65535) ?? DEFAULT_PORT,
    host: text("host"),
    webSocketPort: number("websocket-port", 0, 65535),
    domain: text("domain"),
    registration: !values["no-registration"],
    fields: list(text("fields")),
    requiredFields: list(text("required-fields")),
    instructions: text("instructions"),
    registrationForm: oneOf("form", text("form"), Object.values(REGISTRATION_FORMS)) as RegistrationForm | undefined,
    oobUrl: text("oob-url"),
    invites: invites(values.invites === true, values["invite-token"]),
    captcha: values.captcha === true ? { answer: () => CLI_CAPTCHA_ANSWER } : undefined,
    requireOldPassword: values["require-old-password"] === true,
    errors: oneOf("errors", text("errors"), ERROR_STYLES),
    authMethods: members("auth-methods", text("auth-methods"), AUTH_METHODS) as ServerAuthMethod[] | undefined,
    sasl: !values["no-sasl"],
    saslMechanisms: members("sasl-mechanisms", text("sasl-mechanisms")?.toUpperCase(), SASL_MECHANISMS) as
      | SaslMechanism[]
      | undefined,
    scramIterations: number("scram-iterations", 1),
    zeroKnowledgeSequences: number("zero-knowledge-sequences", 0),
    zeroKnowledgeRegistration: values["zero-knowledge-registration"] === true || undefined,
    storeFile: text("store"),
    maxStanzaBytes: number("max-stanza-bytes", 1),
    maxConnections: number("max-connections", 1),
    authTimeout: number("auth-timeout", 0),
  };
  const cert = text("tls-cert");
  const key = text("tls-key");
  if ((cert === undefined) !== (key === undefined)) throw new UsageError("--tls-cert and --tls-key go together");
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ServerOptions;
  const tlsFiles = cert !== undefined && key !== undefined ? { cert, key } : undefined;
  return { kind: "serve", options: defined, tlsFiles, log: values.log === true };
}

/** `--invites`: invite-only; `--invite-token` alone: tokens are taken, and optional (`only: false`). */
function invites(only: boolean, tokens: ParsedValue): ServerOptions["invites"] {
  const seeds = Array.isArray(tokens) ? tokens.map(String) : [];
  if (!only && seeds.length === 0) return undefined;
  if (seeds.includes("")) throw new UsageError("--invite-token needs a non-empty TOKEN");
  return seeds.length > 0 ? { only, tokens: seeds } : { only };
}

/** What util.parseArgs gives for one flag: a switch, a value, or the values of a repeatable one. */
type ParsedValue = string | boolean | (string | boolean)[] | undefined;

function parse(argv: readonly string[]): Record<string, ParsedValue> {
  try {
    return parseArgs({ args: [...argv], options: PARSE_CONFIG, strict: true, allowPositionals: false }).values;
  } catch (err) {
    // Node's messages run to several sentences; one line naming the argument is enough.
    const code = (err as { code?: string }).code;
    const quoted = /'([^']*)'/.exec(err instanceof Error ? err.message : "")?.[1] ?? "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${quoted}`);
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw new UsageError(`unexpected argument '${quoted}'`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new UsageError(`${quoted.split(" ")[0]} needs a value (or takes none)`);
    }
    throw new UsageError(err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err));
  }
}

function integer(name: FlagName, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}`,
    );
  }
  return n;
}

/** A comma-separated list; '' is the empty list. */
const list = (value: string | undefined): string[] | undefined =>
  value
    ?.split(",")
    .map((item) => item.trim())
    .filter(Boolean);

function oneOf<T extends string>(name: FlagName, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}`);
  return value as T;
}

/** A list whose items are all `allowed`; `none` is the empty list. */
function members(name: FlagName, value: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (value === undefined || value.toLowerCase() === "none") return value === undefined ? undefined : [];
  const items = list(value) ?? [];
  const wrong = items.find((item) => !allowed.includes(item));
  if (wrong !== undefined) throw new UsageError(`--${name}: '${wrong}' is not one of ${allowed.join(", ")}`);
  return items;
}
