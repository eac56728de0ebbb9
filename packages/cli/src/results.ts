// What each command reports: the facts, before any formatting.

export interface ErrorCounts {
  [errorClass: string]: number;
}

export interface BulkSummary {
  ok: number;
  failed: number;
  /** Failures by error class (`ConflictError`…); unusable CSV rows count as `InvalidRow`. */
  byError: ErrorCounts;
  elapsedMs: number;
  aborted: boolean;
  pipeliningFallback: boolean;
  /** Streams the server ended under the run that were replaced (Prosody's c2s_timeout); undefined when none. */
  renewedStreams?: number | undefined;
  /** Accounts created through --admin (undefined without it). */
  viaAdmin?: number | undefined;
  /** The run stopped at the server's registration throttle (without --admin). */
  throttled?: boolean | undefined;
  /** Accounts not sent after that stop, when known. */
  notAttempted?: number | undefined;
  /** --resume: accounts not sent because the report already had them ok (undefined without --resume). */
  skipped?: number | undefined;
  report?: string | undefined;
  out?: string | undefined;
}

export type Result =
  | {
      kind: "inquiry";
      fields: string[];
      instructions?: string | undefined;
      registered: boolean;
      oobUrl?: string | undefined;
    }
  | { kind: "attempt"; username: string | undefined; via?: Via }
  | { kind: "methods"; username: string; offered: string[] }
  | { kind: "login"; username: string; jid: string; method: string }
  | { kind: "passwd"; username: string; via?: Via }
  | { kind: "remove"; username: string; via?: Via }
  | { kind: "bulk"; summary: BulkSummary }
  /** The server refused in-band registration as such; `label` names the --admin path taken instead. */
  | { kind: "fallback"; step: Step; username: string | undefined; error: unknown; label: string };

/** Done through the --admin provisioner rather than in-band (absent: in-band). */
export type Via = "admin";

/** The book's bracketed label of each step. */
export const LABELS = {
  inquiry: "[Inquiry]",
  attempt: "[Attempt]",
  auth: "[Auth]",
  passwd: "[Passwd]",
  remove: "[Remove]",
  bulk: "[Bulk]",
} as const;

export type Step = keyof typeof LABELS;
