// @reguser/cli as a library: main() for embedding, and the pure pieces the command line is made of.
export { AdminCredentialError } from "./admin/credential-error.js";
export { parseCommandLine } from "./args.js";
export { csvField, csvRow, parseCsvRecord } from "./bulk/csv.js";
export { type Pattern, parsePattern } from "./bulk/pattern.js";
export { EXIT, type ExitCode, exitCodeOf } from "./exit-codes.js";
export { errorText, humanLine, summaryLine } from "./format-human.js";
export { jsonError, jsonOf } from "./format-json.js";
export type { Invocation } from "./invocation.js";
export type { Io } from "./io.js";
export { main } from "./main.js";
export type { BulkSummary, Result } from "./results.js";
export { InterruptedError, UsageError } from "./usage-error.js";
