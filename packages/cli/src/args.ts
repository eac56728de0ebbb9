// Command line → Invocation, with Node's util.parseArgs (strict: unknown flags are usage errors).
import { parseArgs } from "node:util";
import { adminFlags } from "./admin/args.js";
import { reportFormatOf } from "./bulk/report-format.js";
import { type CommandName, isSubcommand } from "./commands.js";
import type { BulkFlags, Common, ConnectFlags, Invocation, LoginFlags } from "./invocation.js";
import { ALLOWED, LOGIN_METHODS, OPTIONS, type OptionName, TLS_MODES, type OptionValues as Values } from "./options.js";
import { parseTarget } from "./target.js";
import { UsageError } from "./usage-error.js";

/**
 * Parse and check a `reguser` command line (without node and the script) into what it asks for; a wrong one throws
 * `UsageError` before anything is sent.
 */
export function parseCommandLine(argv: readonly string[]): Invocation {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const first = argv.find((a) => !a.startsWith("-"));
    throw new UsageError(err instanceof Error ? err.message : String(err), isSubcommand(first) ? first : undefined);
  }
  const { values, positionals } = parsed;
  // `reguser register host …` says what the book's form does: the same attempt.
  const register = positionals[0] === "register";
  const command: CommandName = isSubcommand(positionals[0]) ? positionals[0] : "book";
  const args = command === "book" && !register ? positionals : positionals.slice(1);
  if (command === "help") return { command: "help", topic: helpTopic(args[0]) };
  if (values.help) return { command: "help", topic: command === "book" && args.length === 0 ? undefined : command };
  if (values.version) return { command: "version" };
  checkAllowed(command, values);
  const [target, ...rest] = args;
  if (target === undefined) throw new UsageError("missing host[:port]", command === "book" ? undefined : command);
  const common: Common = {
    connect: connectFlags(target, values, command),
    json: values.json ?? false,
    passwordStdin: values["password-stdin"] ?? false,
  };
  const admin = () => adminFlags(command, values, common.connect);
  switch (command) {
    case "book":
      // --invite makes an attempt of its own: an invite that fixes the name needs no field.
      if (rest.length === 0 && values.invite === undefined && (common.passwordStdin || values.admin !== undefined)) {
        const flag = common.passwordStdin ? "--password-stdin" : "--admin";
        throw new UsageError(`${flag} goes with an attempt (field=value arguments), not an inquiry`);
      }
      return {
        command,
        ...common,
        fields: rest.map(fieldOf),
        admin: admin(),
        invite: values.invite,
        captchaOut: values["captcha-out"],
      };
    case "passwd":
      return { command, ...loginFlags(command, common, rest, values), admin: admin() };
    case "remove":
      return { command, ...loginFlags(command, common, rest, values), admin: admin() };
    case "auth":
      return { command, ...loginFlags(command, common, rest, values), methodsOnly: values["methods-only"] ?? false };
    case "bulk":
      return { command, ...bulkFlags(common, rest, values, argv), admin: admin() };
    case "doctor":
      if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`, command);
      return { command, ...common, probe: values.probe ?? false };
  }
}

function helpTopic(word: string | undefined): CommandName | undefined {
  if (word === undefined) return undefined;
  if (isSubcommand(word)) return word;
  throw new UsageError(`no help for '${word}': commands are passwd, remove, auth, bulk`);
}

function checkAllowed(command: CommandName, values: Values): void {
  for (const name of Object.keys(values) as OptionName[]) {
    if (name === "help" || name === "version" || ALLOWED[command].includes(name)) continue;
    const where = command === "book" ? "an inquiry or attempt" : `'${command}'`;
    throw new UsageError(`--${name} is not an option of ${where}`, command);
  }
}

function connectFlags(target: string, values: Values, command: CommandName): ConnectFlags {
  const tls = values.tls ?? "auto";
  if (!isOneOf(TLS_MODES, tls)) throw new UsageError(`--tls must be one of ${TLS_MODES.join(", ")}`, command);
  try {
    const parsed = parseTarget(target);
    if (parsed.url !== undefined) {
      for (const flag of ["tls", "legacy", "local-address"] as const) {
        if (values[flag] !== undefined) {
          throw new UsageError(`--${flag} does not apply to a WebSocket URL (it says where and how)`, command);
        }
      }
    }
    return {
      target: parsed,
      domain: values.domain,
      tls,
      ca: values.ca,
      insecure: values.insecure ?? false,
      legacy: values.legacy ?? false,
      timeout: positiveInt(values.timeout, "--timeout"),
      localAddress: values["local-address"],
    };
  } catch (err) {
    throw err instanceof UsageError ? new UsageError(err.message, command) : err;
  }
}

/** The book's `field=value`; the field is an element name (`username`, `email`, `x-custom`). */
export function fieldOf(arg: string): [string, string] {
  const eq = arg.indexOf("=");
  const name = arg.slice(0, eq);
  if (eq < 0 || !/^[A-Za-z_][\w.-]*$/.test(name)) {
    throw new UsageError(`expected field=value after the host, got '${arg}'`);
  }
  return [name, arg.slice(eq + 1)];
}

function loginFlags(command: CommandName, common: Common, rest: string[], values: Values): LoginFlags {
  const [username, ...extra] = rest;
  if (!username) throw new UsageError("missing username", command);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`, command);
  const method = values.method ?? "auto";
  if (!isOneOf(LOGIN_METHODS, method)) {
    throw new UsageError(`--method must be one of ${LOGIN_METHODS.join(", ")}`, command);
  }
  return { ...common, username, resource: values.resource ?? "reguser", method };
}

function bulkFlags(common: Common, rest: string[], values: Values, argv: readonly string[]): BulkFlags {
  const fail = (message: string) => new UsageError(message, "bulk");
  if (rest.length > 0) throw fail(`unexpected argument '${rest[0]}'`);
  const { pattern, csv } = values;
  if ((pattern === undefined) === (csv === undefined)) throw fail("give exactly one of --pattern or --csv");
  const template = values["password-template"];
  const random = values["random-passwords"] ?? false;
  const sources = [template !== undefined, random, common.passwordStdin].filter(Boolean).length;
  if (sources > 1) throw fail("give at most one of --password-template, --random-passwords, --password-stdin");
  if (random && values.out === undefined) {
    throw fail("--random-passwords needs --out FILE: the generated passwords are written there and nowhere else");
  }
  const { resume } = values;
  if (resume !== undefined && reportFormatOf(resume) !== "jsonl") {
    throw fail(`--resume reads a JSON Lines report (FILE.jsonl, as --report FILE.jsonl writes), not '${resume}'`);
  }
  if (resume !== undefined && values.report !== undefined && values.report !== resume) {
    throw fail("--resume FILE goes on writing FILE: give no other --report with it");
  }
  try {
    return {
      ...common,
      pattern,
      csv,
      passwordTemplate: template,
      randomPasswords: random,
      concurrency: positiveInt(values.concurrency, "--concurrency"),
      connections: positiveInt(values.connections, "--connections"),
      report: resume ?? values.report,
      resume,
      out: values.out,
      progress: !(values["no-progress"] ?? false),
      argv: [...argv],
    };
  } catch (err) {
    throw err instanceof UsageError ? fail(err.message) : err;
  }
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a positive whole number, got '${text}'`);
  }
  return n;
}

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
