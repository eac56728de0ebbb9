// What a bulk run tells its caller: one outcome per account, counts, and progress on the way.

export type Outcome =
  | {
      username: string;
      ok: true /** Its reply was lost (jabberd2); a login proved the account exists. */;
      confirmedByLogin?: true;
      /** Created through the admin provisioner (absent: in-band). */
      via?: "admin";
    }
  | {
      username: string;
      ok: false;
      error: Error;
      /** The admin provisioner failed it (absent: in-band). */
      via?: "admin";
    };

export interface BulkProgress {
  done: number;
  ok: number;
  failed: number;
  inFlight: number;
  /** The run is waiting out the server's registration throttle for this many milliseconds (`onThrottle: 'wait'`). */
  waitingMs?: number;
}

export interface BulkReport {
  ok: number;
  failed: number;
  /** Failures counted by error class name (`ConflictError`, `TimeoutError`…). */
  byError: Record<string, number>;
  /** Every outcome in completion order, unless `keepOutcomes: false`. */
  outcomes: Outcome[];
  /** The run was stopped through its AbortSignal: accounts not reached have no outcome. */
  aborted: boolean;
  /** A stream failed for good; accounts not reached have no outcome. */
  error?: Error | undefined;
  /** The server lost pipelined replies (jabberd2) and the run fell back to one request in flight. */
  pipeliningFallback: boolean;
  /**
   * Streams opened to replace ones the server ended under the run (Prosody's `c2s_timeout` closes an unauthenticated
   * stream after 300 s as shipped; a dropped connection counts too); the requests they failed were settled again.
   */
  renewedStreams: number;
  /** The server's refusal of in-band registration as such, after which the accounts went to the `admin` path. */
  refused?: Error | undefined;
  /** The admin path failed in a way no later account could avoid (a refused credential…); accounts not reached have no outcome. */
  adminError?: Error | undefined;
  /** The first `RegistrationThrottledError` the server sent: it names the setting to change. */
  throttled?: Error | undefined;
  /**
   * The run stopped at the throttle: the accounts never sent (counted for an array; `undefined` for a generator or a
   * stream, whose rest was not read).
   */
  notAttempted?: number | undefined;
  elapsedMs: number;
}

export class ReportBuilder {
  readonly #report: BulkReport;
  readonly #keep: boolean;
  readonly #started = performance.now();
  readonly #onOutcome: ((outcome: Outcome) => void) | undefined;
  readonly #onProgress: ((progress: BulkProgress) => void) | undefined;
  inFlight = 0;

  constructor(options: {
    keepOutcomes?: boolean;
    onOutcome?: (o: Outcome) => void;
    onProgress?: (p: BulkProgress) => void;
  }) {
    this.#keep = options.keepOutcomes ?? true;
    this.#onOutcome = options.onOutcome;
    this.#onProgress = options.onProgress;
    this.#report = {
      ok: 0,
      failed: 0,
      byError: {},
      outcomes: [],
      aborted: false,
      pipeliningFallback: false,
      renewedStreams: 0,
      elapsedMs: 0,
    };
  }

  add(outcome: Outcome): void {
    const r = this.#report;
    if (outcome.ok) {
      r.ok += 1;
    } else {
      r.failed += 1;
      r.byError[outcome.error.name] = (r.byError[outcome.error.name] ?? 0) + 1;
    }
    if (this.#keep) r.outcomes.push(outcome);
    this.#onOutcome?.(outcome);
    this.#onProgress?.({ done: r.ok + r.failed, ok: r.ok, failed: r.failed, inFlight: this.inFlight });
  }

  /** Tell `onProgress` that the run waits `ms` for the server's throttle. */
  waiting(ms: number): void {
    const r = this.#report;
    this.#onProgress?.({ done: r.ok + r.failed, ok: r.ok, failed: r.failed, inFlight: this.inFlight, waitingMs: ms });
  }

  finish(
    extra: Partial<
      Pick<
        BulkReport,
        | "aborted"
        | "error"
        | "pipeliningFallback"
        | "renewedStreams"
        | "refused"
        | "adminError"
        | "throttled"
        | "notAttempted"
      >
    >,
  ): BulkReport {
    return { ...this.#report, ...extra, elapsedMs: Math.round(performance.now() - this.#started) };
  }
}
