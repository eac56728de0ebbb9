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
  "local-address": { type: "string" },
  invite: { type: "string" },
  "captcha-out": { type: "string" },
  probe: { type: "boolean" },
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
  resume: { type: "string" },
  out: { type: "string" },
  "no-progress": { type: "boolean" },
  admin: { type: "string" },
  "admin-jid": { type: "string" },
  "admin-url": { type: "string" },
  "admin-secret-env": { type: "string" },
  "admin-password-stdin": { type: "boolean" },
  "admin-only": { type: "boolean" },
} as const;

export type OptionName = keyof typeof OPTIONS;

/** What util.parseArgs returns for OPTIONS. */
export type OptionValues = { [K in OptionName]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

const CONNECTION: readonly OptionName[] = [
  "json",
  "domain",
  "tls",
  "ca",
  "insecure",
  "legacy",
  "timeout",
  "local-address",
];
const LOGIN: readonly OptionName[] = [...CONNECTION, "password-stdin", "resource", "method"];
/** The admin path (src/admin/): for passwd and remove it replaces the login, for book and bulk it is the fallback. */
export const ADMIN: readonly OptionName[] = [
  "admin",
  "admin-jid",
  "admin-url",
  "admin-secret-env",
  "admin-password-stdin",
];

/** Flags each command accepts (besides --help and --version, accepted everywhere). */
export const ALLOWED: Record<CommandName, readonly OptionName[]> = {
  book: [...CONNECTION, "password-stdin", "invite", "captcha-out", ...ADMIN, "admin-only"],
  passwd: [...LOGIN, ...ADMIN],
  remove: [...LOGIN, ...ADMIN],
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
    "resume",
    "out",
    "no-progress",
    ...ADMIN,
    "admin-only",
  ],
  doctor: [...CONNECTION, "probe"],
  help: [],
};

export const TLS_MODES = ["auto", "starttls", "direct", "none"] as const;
export const LOGIN_METHODS = ["auto", "plain", "digest", "0k"] as const;
/** --admin BACKEND: XEP-0133 over an admin's session, or one of Openfire's HTTP plugins. */
export const ADMIN_BACKENDS = ["xep0133", "openfire-userservice", "openfire-restapi"] as const;
