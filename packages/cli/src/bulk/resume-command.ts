// What an interrupted bulk run prints: how many outcomes its report holds, and the command that goes on from there.
import type { BulkSummary } from "../results.js";
import { reportFormatOf } from "./report-format.js";

/** Flags whose value is never printed: a password template (every password follows from it), a secret's name. */
const HIDDEN: Readonly<Record<string, string>> = {
  "--password-template": "<template>",
  "--admin-secret-env": "<name>",
};
/** Replaced by `--resume REPORT` at the end. */
const REPORT_FLAGS = ["--report", "--resume"];

/**
 * `reguser bulk … --resume REPORT` from the command line that ran (`argv`, without node and the script): the same
 * flags, the report as --resume, hidden values as placeholders, each word quoted for a POSIX shell where needed.
 */
export function resumeCommand(argv: readonly string[], report: string): string {
  const words: string[] = [];
  let rest: readonly string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      rest = argv.slice(i);
      break;
    }
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = flag !== arg;
    if (REPORT_FLAGS.includes(flag)) {
      if (!inline) i += 1;
      continue;
    }
    const hidden = HIDDEN[flag];
    if (hidden !== undefined) {
      words.push(flag, hidden);
      if (!inline) i += 1;
      continue;
    }
    words.push(arg);
  }
  return ["reguser", ...words, "--resume", report, ...rest].map(shellWord).join(" ");
}

/** A word as a POSIX shell reads it: bare when it is plain, else in single quotes. */
export function shellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The lines an interrupted run ends with, on stderr: where its outcomes are, and how to go on. */
export function interruptedAdvice(argv: readonly string[], summary: BulkSummary): string {
  const report = summary.report;
  const outcomes = summary.ok + summary.failed;
  if (report === undefined) {
    return (
      `reguser: interrupted after ${outcomes} outcomes; the accounts not reached were not sent. Nothing recorded ` +
      "which: next time give --report FILE.jsonl, and --resume FILE.jsonl goes on after an interruption.\n"
    );
  }
  if (reportFormatOf(report) !== "jsonl") {
    return (
      `reguser: interrupted after ${outcomes} outcomes, all in ${report}; the accounts not reached were not sent. ` +
      "Only a JSON Lines report (--report FILE.jsonl) can be resumed from.\n"
    );
  }
  const hidden = Object.keys(HIDDEN).filter((flag) => argv.some((a) => a === flag || a.startsWith(`${flag}=`)));
  const note = hidden.map((flag) => `  (put your ${flag} in place of ${HIDDEN[flag]}: it is not printed)\n`).join("");
  const stdin = argv.some((a) => a === "--password-stdin" || a === "--admin-password-stdin")
    ? "  (with the same stdin)\n"
    : "";
  return (
    `reguser: interrupted: ${outcomes} outcomes of this run are in ${report}; the accounts not reached were not sent. To resume ` +
    "(accounts recorded ok are skipped, failed ones tried again):\n" +
    `  ${resumeCommand(argv, report)}\n${note}${stdin}`
  );
}
