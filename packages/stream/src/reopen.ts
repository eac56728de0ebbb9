// docs/traps.md#trap-4 reopening in place: jabberd2 refuses some streams just after they opened. While only
// requests that change nothing went out, the stream is dialled again and its waiting requests resent.
import type { StreamError } from "@reguser/errors";
import { isTransientRefusal, RetryBudget, type RetryPolicy, retry, sleep } from "./retry.js";
import type { RefusalWatcher, StreamCore } from "./stream-core.js";

/**
 * From now on, an `internal-server-error` stream error that arrives before anything but IQ-gets and replayable
 * requests was sent reopens `core` in place with `redial` (at most `policy.retries` times over the stream's life,
 * each after a pause that doubles), and resends the waiting requests.
 */
export function reopenOnRefusal(core: StreamCore, redial: () => Promise<void>, policy: RetryPolicy): void {
  core.watch(new Reopener(core, redial, policy));
}

class Reopener implements RefusalWatcher {
  readonly #core: StreamCore;
  readonly #redial: () => Promise<void>;
  /** One budget for the stream's life: every reopen spends from it. */
  readonly #budget: RetryBudget;
  /** Stops a pause when the stream ends meanwhile. */
  readonly #ended = new AbortController();
  /** Something not replayable went out since the stream (re)opened: resending could repeat it. */
  #unsafe = false;
  reopens = 0;

  constructor(core: StreamCore, redial: () => Promise<void>, policy: RetryPolicy) {
    this.#core = core;
    this.#redial = redial;
    this.#budget = new RetryBudget({ ...policy, signal: this.#ended.signal });
    void core.ended.then(() => this.#ended.abort());
  }

  sent(replayable: boolean): void {
    if (!replayable) this.#unsafe = true;
  }

  refused(err: StreamError): boolean {
    if (!isTransientRefusal(err) || this.#unsafe || !this.#core.replayable()) return false;
    const pause = this.#budget.spend();
    if (pause === undefined) return false;
    this.#core.reopen(async () => {
      await sleep(pause, this.#ended.signal);
      await retry(this.#budget, isTransientRefusal, () => this.#attempt());
      this.#unsafe = false;
    });
    return true;
  }

  /** Dial and negotiate once more; a failed attempt's transport is dropped before the next. */
  async #attempt(): Promise<void> {
    this.reopens += 1;
    const core = this.#core;
    if (core.status === "closed") throw core.unusable();
    core.startAttempt();
    try {
      await this.#redial();
    } catch (err) {
      core.retire();
      throw err;
    }
  }
}
