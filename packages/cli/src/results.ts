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
  | { kind: "attempt"; username: string | undefined }
  | { kind: "methods"; username: string; offered: string[] }
  | { kind: "login"; username: string; jid: string; method: string }
  | { kind: "passwd"; username: string }
  | { kind: "remove"; username: string }
  | { kind: "bulk"; summary: BulkSummary };

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
