// docs/traps.md#trap-2: jabberd2 answers only the last of several pipelined registrations.
// Two signs: the pair sent together after the first reply gets an answer to its later request only (seen at once), or
// a request times out although one sent after it was answered (the backstop, for losses that come later).

/** What `LostReplyDetector.race` resolves with when the request's reply was found lost. */
export const LOST: unique symbol = Symbol("lost reply");

export class LostReplyDetector {
  #sent = 0;
  #lastAnswered = -1;
  /** First the first request alone, then the probe pair, then the whole window (or one at a time). */
  #phase: "first" | "probe" | "open" = "first";
  /** The earlier request of the probe pair: settled as lost once the later one is answered before it. */
  #probe:
    | { seq: number; answered: boolean; judging: boolean; lost: Promise<typeof LOST>; settle: () => void }
    | undefined;
  /** Set once replies were seen to be lost: from then on, one request in flight. */
  lost = false;

  /** Requests in flight allowed now: one, until the first reply; two, for the probe; then `full`. */
  window(full: number): number {
    if (this.lost || this.#phase === "first") return 1;
    return this.#phase === "probe" ? Math.min(2, full) : full;
  }

  /** Number the next request. */
  send(): number {
    const seq = this.#sent++;
    if (this.#phase === "probe" && !this.#probe) {
      let settle: () => void = () => undefined;
      const lost = new Promise<typeof LOST>((resolve) => (settle = () => resolve(LOST)));
      this.#probe = { seq, answered: false, judging: false, lost, settle };
    }
    return seq;
  }

  answered(seq: number): void {
    if (seq > this.#lastAnswered) this.#lastAnswered = seq;
    if (this.#phase === "first") {
      this.#phase = "probe";
      return;
    }
    const probe = this.#probe;
    if (this.#phase !== "probe" || !probe) return;
    if (seq === probe.seq) probe.answered = true;
    else if (seq > probe.seq && probe.answered) this.#phase = "open";
    else if (seq > probe.seq && !probe.judging) {
      // The later request is answered first. Both replies may have come in one read, the earlier one's handlers
      // running a few microtasks later: judge once this turn of the event loop is over.
      probe.judging = true;
      setImmediate(() => {
        this.#phase = "open";
        if (probe.answered) return;
        this.lost = true;
        probe.settle();
      });
    }
  }

  /** `request`'s reply, or `LOST` once the detector finds it lost (only the probe's earlier request can be). */
  race<T>(seq: number, request: Promise<T>): Promise<T | typeof LOST> {
    const probe = this.#probe;
    if (!probe || probe.seq !== seq || this.#phase !== "probe") return request;
    // Marked on the request itself, not after the race: the race resolves a microtask later than the reply.
    const mark = () => {
      probe.answered = true;
    };
    request.then(mark, mark);
    return Promise.race([request, probe.lost]);
  }

  /** True when the timed-out request's reply was lost rather than slow (or losses were seen before). */
  timedOut(seq: number): boolean {
    if (this.#lastAnswered > seq) this.lost = true;
    return this.lost;
  }
}
