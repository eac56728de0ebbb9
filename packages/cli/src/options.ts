// Every flag util.parseArgs knows, and which command accepts which.
import type { CommandName } from "./commands.js";

export const OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
  json: { type: "boolean" },
  domain: { type: "string" },
  tls: { type: "string" },
  ca: { type: "string" },
  insecure: { type: "boolean" },
  legacy: { type: "boolean" },
  timeout: { type: "string" },
  "password-stdin": { type: "boolean" },
  resource: { type: "string" },
  method: { type: "string" },
  "methods-only": { type: "boolean" },
  pattern: { type: "string" },
  csv: { type: "string" },
  "password-template": { type: "string" },
  "random-passwords": { type: "boolean" },
  concurrency: { type: "string" },
  connections: { type: "string" },
  report: { type: "string" },
  out: { type: "string" },
  "no-progress": { type: "boolean" },
} as const;

export type OptionName = keyof typeof OPTIONS;

const CONNECTION: readonly OptionName[] = ["json", "domain", "tls", "ca", "insecure", "legacy", "timeout"];
const LOGIN: readonly OptionName[] = [...CONNECTION, "password-stdin", "resource", "method"];

/** Flags each command accepts (besides --help and --version, accepted everywhere). */
export const ALLOWED: Record<CommandName, readonly OptionName[]> = {
  book: [...CONNECTION, "password-stdin"],
  passwd: LOGIN,
  remove: LOGIN,
  auth: [...LOGIN, "methods-only"],
  bulk: [
    ...CONNECTION,
    "password-stdin",
    "pattern",
    "csv",
    "password-template",
    "random-passwords",
    "concurrency",
    "connections",
    "report",
    "out",
    "no-progress",
  ],
  help: [],
};

export const TLS_MODES = ["auto", "starttls", "direct", "none"] as const;
export const LOGIN_METHODS = ["auto", "plain", "digest", "0k"] as const;
