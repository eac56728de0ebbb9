// @reguser/cli as a library: main() for embedding, and the pure pieces the command line is made of.
export { AdminCredentialError } from "./admin/credential-error.js";
export { parseCommandLine } from "./args.js";
export { csvField, csvRow, parseCsvRecord } from "./bulk/csv.js";
export { type Pattern, parsePattern } from "./bulk/pattern.js";
export { COMMANDS, type CommandName } from "./commands.js";
export { EXIT, type ExitCode, exitCodeOf } from "./exit-codes.js";
export { errorText, humanLine, summaryLine } from "./format-human.js";
export { type JsonRecord, jsonError, jsonOf } from "./format-json.js";
export type {
  AdminFlags,
  BulkFlags,
  Common as CommonFlags,
  ConnectFlags,
  Invocation,
  LoginFlags,
} from "./invocation.js";
export type { Io } from "./io.js";
export { main } from "./main.js";
export { ADMIN_BACKENDS } from "./options.js";
export { type BulkSummary, type ErrorCounts, LABELS, type Result, type Step, type Via } from "./results.js";
export type { Target } from "./target.js";
export { InterruptedError, UsageError } from "./usage-error.js";
