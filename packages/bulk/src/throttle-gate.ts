// What a run does when the server throttles registrations (docs/shipped.md#throttles): stop, wait, or the admin path.
import { RegistrationThrottledError } from "@reguser/register";
import { sleep } from "@reguser/stream/internal";
import type { ReportBuilder } from "./report.js";

/** `stop` sending, `wait` and try again (one at a time, within a budget), or hand the rest to `admin`. */
export type OnThrottle = "stop" | "wait" | "admin";

/** Options of a run that meets a registration throttle. */
export interface ThrottleOptions {
  /**
   * What to do at a `RegistrationThrottledError`. `stop` (default): send nothing more; the throttled accounts fail
   * with it and the rest are not attempted (`report.notAttempted`). `wait`: retry one account at a time after
   * pauses that double from `throttleDelay`, until `maxThrottleWait` is spent, with `waitingMs` in the progress.
   * `admin`: the throttled accounts and the rest go through `admin` (which a server does not throttle).
   */
  onThrottle?: OnThrottle | undefined;
  /** With `wait`: milliseconds of pauses a whole run may spend waiting. Default 600,000 (ten minutes). */
  maxThrottleWait?: number | undefined;
  /** With `wait`: the first pause in milliseconds, doubling each time (at most 60 s). Default 1,000. */
  throttleDelay?: number | undefined;
}

const MAX_PAUSE_MS = 60_000;

/** A run's state at the server's throttle, shared by every stream of the run. */
export class ThrottleGate {
  readonly mode: OnThrottle;
  /** The first throttle met, for the report. */
  first: RegistrationThrottledError | undefined;
  /** Nothing more should be sent in-band (`stop`, or `wait` out of budget). */
  stopped = false;
  readonly #firstPause: number;
  #budget: number;
  #pause: number;
  /** Waits are taken one after another: one account retries at a time. */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(options: ThrottleOptions) {
    this.mode = options.onThrottle ?? "stop";
    this.#budget = options.maxThrottleWait ?? 600_000;
    this.#firstPause = options.throttleDelay ?? 1_000;
    this.#pause = this.#firstPause;
  }

  /** Whether the run has met a throttle: from then on one request at a time. */
  get hit(): boolean {
    return this.first !== undefined;
  }

  /** Whether `error` is a throttle; the first is kept. */
  met(error: unknown): error is RegistrationThrottledError {
    if (!(error instanceof RegistrationThrottledError)) return false;
    this.first ??= error;
    return true;
  }

  /**
   * With `wait`: wait for this account's turn and a pause, then true (try again); false once the budget would be
   * exceeded or the run was stopped, and from then on the run stops.
   */
  async waitToRetry(report: ReportBuilder, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.mode !== "wait") return false;
    const turn = this.#turn.then(async () => {
      const pause = this.#pause;
      if (this.stopped || signal?.aborted || pause > this.#budget) return false;
      this.#budget -= pause;
      this.#pause = Math.min(pause * 2, MAX_PAUSE_MS);
      report.waiting(pause);
      await sleep(pause, signal);
      return !signal?.aborted;
    });
    this.#turn = turn;
    const again = await turn;
    if (!again) this.stopped = true;
    return again;
  }

  /** A registration went through: the next pause starts small again. */
  passed(): void {
    this.#pause = this.#firstPause;
  }
}
