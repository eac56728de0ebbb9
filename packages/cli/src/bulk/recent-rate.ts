// Accounts per second over the last few seconds (not since the start): a slowing server shows at once.

/** How far back the rate looks, and how close together its samples may be (so memory stays a few dozen samples). */
export const RATE_WINDOW_MS = 5_000;
const SAMPLE_STEP_MS = 250;
/** Less history than this says nothing yet: the rate is unknown. */
const MIN_SPAN_MS = 1_000;

interface Sample {
  at: number;
  done: number;
}

/** Samples of (time, outcomes so far); every time is given by the caller, so tests run on an injected clock. */
export class RecentRate {
  readonly #windowMs: number;
  #samples: Sample[] = [];

  constructor(start: number, windowMs = RATE_WINDOW_MS) {
    this.#windowMs = windowMs;
    this.#samples.push({ at: start, done: 0 });
  }

  record(at: number, done: number): void {
    const s = this.#samples;
    const previous = s[s.length - 2];
    // The newest sample moves forward until it is a step away from the one before: a bounded number of samples.
    if (s.length > 1 && previous && at - previous.at < SAMPLE_STEP_MS) s[s.length - 1] = { at, done };
    else s.push({ at, done });
    this.#prune(at);
  }

  /** Outcomes per second between the window's start and `now`; undefined while less than a second is known. */
  perSecond(now: number): number | undefined {
    this.#prune(now);
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || !last) return undefined;
    const span = now - first.at;
    if (span < MIN_SPAN_MS) return undefined;
    return ((last.done - first.done) * 1000) / span;
  }

  /** Keep one sample at or before the window's start (the baseline), drop the older ones. */
  #prune(now: number): void {
    const s = this.#samples;
    let drop = 0;
    while (drop + 1 < s.length && (s[drop + 1] as Sample).at <= now - this.#windowMs) drop += 1;
    if (drop > 0) this.#samples = s.slice(drop);
  }
}
