// docs/traps.md#trap-2: jabberd2 answers only the last of several pipelined registrations.
// The sign: a request times out although one sent after it was answered.

export class LostReplyDetector {
  #sent = 0;
  #lastAnswered = -1;
  /** Set once replies were seen to be lost: from then on, one request in flight. */
  lost = false;

  /** Number the next request. */
  send(): number {
    return this.#sent++;
  }

  answered(seq: number): void {
    if (seq > this.#lastAnswered) this.#lastAnswered = seq;
  }

  /** True when the timed-out request's reply was lost rather than slow (or losses were seen before). */
  timedOut(seq: number): boolean {
    if (this.#lastAnswered > seq) this.lost = true;
    return this.lost;
  }
}
