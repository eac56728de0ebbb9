// The process exit statuses the CLI documents, and which error gets which.
import { AbortError, ConnectionError, InvalidOptionError, StreamError, TimeoutError, TlsRequiredError } from "reguser";
import { InterruptedError, UsageError } from "./usage-error.js";

export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  /** The server refused (a stanza error such as 409 conflict) or broke the protocol; in bulk, any account failed. */
  failed: 1,
  /** The command line was wrong (unknown flag, missing argument, unreadable file): nothing was sent. */
  usage: 2,
  /** Could not connect, the connection or stream failed, or a reply timed out. */
  connection: 3,
  /** Interrupted (Ctrl-C at a prompt or during a bulk run). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The exit status for an error: usage (2) for a bad command line or argument, interrupted (130), connection (3) for
 * errors reaching the server, else failed (1).
 */
export function exitCodeOf(err: unknown): ExitCode {
  // The library's own argument check (an empty username=, say) is the command line's fault too.
  if (err instanceof UsageError || err instanceof InvalidOptionError) return EXIT.usage;
  if (err instanceof InterruptedError || err instanceof AbortError) return EXIT.interrupted;
  if (isConnectionFailure(err)) return EXIT.connection;
  return EXIT.failed;
}

/** Errors about reaching the server rather than what it answered. */
export function isConnectionFailure(err: unknown): boolean {
  return (
    err instanceof ConnectionError ||
    err instanceof TimeoutError ||
    err instanceof StreamError ||
    err instanceof TlsRequiredError
  );
}
