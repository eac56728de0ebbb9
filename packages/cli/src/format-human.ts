// The book's output lines: `[Inquiry] Fields: …`, `[Attempt] (joseph) Successful registration`, `… Error: 409 (…)`.
import {
  InviteInvalidError,
  InviteRequiredError,
  PolicyViolationError,
  RegistrationThrottledError,
  STANZA_CONDITIONS,
  StanzaError,
} from "reguser";
import { type BulkSummary, LABELS, type Result, type Step, type Via } from "./results.js";
import { terminalSafe } from "./terminal-safe.js";

/** `[Attempt] (joseph) `: the label, then the username in parentheses when there is one. */
export function lead(step: Step, username?: string): string {
  return `${LABELS[step]} ${username === undefined ? "" : `(${username}) `}`;
}

/** A result's line, made safe for a terminal: server text may hold line breaks and control characters. */
export function humanLine(result: Result): string {
  return terminalSafe(unsafeLine(result));
}

function unsafeLine(result: Result): string {
  switch (result.kind) {
    case "inquiry": {
      const web = result.oobUrl ? ` (or register at ${result.oobUrl})` : "";
      const registered = result.registered ? " (already registered)" : "";
      return `${lead("inquiry")}Fields: ${result.fields.join(" ")}${registered}${web}`;
    }
    case "attempt":
      return `${lead("attempt", result.username)}Successful registration${viaText(result.via)}`;
    case "methods":
      return `${lead("auth", result.username)}Methods offered: ${result.offered.join(" ") || "none"}`;
    case "login":
      return `${lead("auth", result.username)}Logged in as ${result.jid} (${result.method})`;
    case "passwd":
      return `${lead("passwd", result.username)}Password changed${viaText(result.via)}`;
    case "remove":
      return `${lead("remove", result.username)}Account removed${viaText(result.via)}`;
    case "bulk":
      return `${lead("bulk")}${summaryLine(result.summary)}`;
    case "fallback":
      return `${lead(result.step, result.username)}In-band registration refused: ${reasonText(result.error)}; using ${result.label}`;
  }
}

const viaText = (via: Via | undefined) => (via === undefined ? "" : ` (via ${via})`);

/** The book's error text: the legacy code and the server's text (or the condition's wording). */
export function errorText(err: unknown): string {
  return `Error: ${reasonText(err)}`;
}

/**
 * `409 (Username Not Available)`, the book's way, or the message of an error that is not a stanza error. A refusal
 * of registration whose fix the library knows (a throttle's setting, required encryption) says it after that.
 */
export function reasonText(err: unknown): string {
  if (err instanceof StanzaError) {
    const known = STANZA_CONDITIONS[err.condition as keyof typeof STANZA_CONDITIONS];
    const hint = err.hint && blocksRegistration(err) ? `: ${err.hint}` : "";
    return `${err.code ?? err.condition} (${err.text ?? known?.text ?? err.condition})${hint}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * A refusal no retry of this account avoids, whose hint says what to change on the server or in the flags: a
 * throttle, a policy such as required encryption, an invite needed or refused.
 */
function blocksRegistration(err: StanzaError): boolean {
  return [RegistrationThrottledError, PolicyViolationError, InviteRequiredError, InviteInvalidError].some(
    (blocking) => err instanceof blocking,
  );
}

export function errorLine(step: Step, username: string | undefined, err: unknown): string {
  return terminalSafe(`${lead(step, username)}${errorText(err)}`);
}

/**
 * `ok 498, failed 2 (ConflictError 2)`, then the time taken; `ok 20 (20 via admin)` with --admin; `skipped 57
 * (ok in the report)` with --resume.
 */
export function summaryLine(s: BulkSummary): string {
  const classes = Object.entries(s.byError)
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([name, count]) => `${name} ${count}`);
  const failures = classes.length > 0 ? ` (${classes.join(", ")})` : "";
  const seconds = (s.elapsedMs / 1000).toFixed(1);
  const notSent = s.notAttempted === undefined ? "the rest" : `${s.notAttempted}`;
  const throttled = s.throttled ? `, stopped at the server's registration throttle (${notSent} not attempted)` : "";
  const stopped = s.aborted ? ", interrupted" : "";
  const viaAdmin = s.viaAdmin ? ` (${s.viaAdmin} via admin)` : "";
  const skipped = s.skipped === undefined ? "" : `, skipped ${s.skipped} (ok in the report)`;
  const renewed = s.renewedStreams ? `, ${s.renewedStreams} stream(s) the server ended replaced` : "";
  return `ok ${s.ok}${viaAdmin}, failed ${s.failed}${failures}${skipped} in ${seconds} s${renewed}${throttled}${stopped}`;
}
