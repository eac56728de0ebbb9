// Trying again after a transient failure (docs/traps.md#trap-4): one loop, and what counts as transient.
import { ConnectionError, StreamError } from "@reguser/errors";

/** How often, and after how long a pause, to try again. */
export interface RetryPolicy {
  /** Tries after the first one. */
  retries: number;
  /** Milliseconds before the first retry. */
  delay: number;
  /** How the pause grows: `double` (the default: delay, 2×, 4×…) or `linear` (delay, 2×, 3×…). */
  backoff?: "double" | "linear";
  /** Ends a pause early and stops retrying: the last error is thrown. */
  signal?: AbortSignal | undefined;
}

/** Milliseconds to wait before retry number `index` (0 for the first) of `policy`. */
export function backoff(policy: RetryPolicy, index: number): number {
  return policy.backoff === "linear" ? policy.delay * (index + 1) : policy.delay * 2 ** index;
}

/** A policy's retries as they are spent, when several failures share one budget (a stream's reopens). */
export class RetryBudget {
  readonly #policy: RetryPolicy;
  #spent = 0;

  /** A fresh budget of `policy.retries` retries. */
  constructor(policy: RetryPolicy) {
    this.#policy = policy;
  }

  /** Retries not spent yet. */
  get left(): number {
    return this.#policy.retries - this.#spent;
  }

  /** The signal that stops the retries, if the policy has one. */
  get signal(): AbortSignal | undefined {
    return this.#policy.signal;
  }

  /** Spend one retry: the pause before it, or undefined when none is left. */
  spend(): number | undefined {
    return this.left > 0 ? backoff(this.#policy, this.#spent++) : undefined;
  }
}

/**
 * Run `attempt` until it succeeds, fails with an error `isTransient` refuses, or the retries are spent; then its
 * last error is thrown. Pauses follow `policy` (or a shared `RetryBudget`).
 */
export async function retry<T>(
  policy: RetryPolicy | RetryBudget,
  isTransient: (err: unknown) => boolean,
  attempt: () => Promise<T>,
): Promise<T> {
  const budget = policy instanceof RetryBudget ? policy : new RetryBudget(policy);
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const pause = isTransient(err) && !budget.signal?.aborted ? budget.spend() : undefined;
      if (pause === undefined) throw err;
      await sleep(pause, budget.signal);
    }
  }
}

/** Wait `ms`, or less if `signal` aborts meanwhile (no timer is left behind). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => (clearTimeout(timer), resolve());
    const timer = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The refusal a server takes back on a later try: jabberd2's `internal-server-error` stream error on a stream
 * opened right after another closed (docs/traps.md#trap-4). Retrying is safe while nothing with an effect was sent.
 */
export function isTransientRefusal(err: unknown): boolean {
  return err instanceof StreamError && err.condition === "internal-server-error";
}

/**
 * The stream under an operation was lost: any stream error or dropped connection (a transient refusal included).
 * Only an operation that is idempotent as a whole may be retried for it (the bulk helpers' login-then-act).
 */
export function isStreamLost(err: unknown): boolean {
  return err instanceof StreamError || err instanceof ConnectionError;
}
