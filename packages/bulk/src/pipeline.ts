// Bounded concurrency for a bulk run: keep up to `window()` items in flight, pulling the next as a slot frees up.

/** One share of a run: where its items come from, how many may be in flight, what to do with each. */
export interface PipelineTask<T> {
  /** Shared by every pipeline of a run; each pull takes the next item. */
  source: AsyncIterator<T>;
  /** Most items in flight; asked before each pull, so it may change as the run goes (lost replies, a first success). */
  window: () => number;
  /** Stops pulling; items already started still finish. */
  signal?: AbortSignal | undefined;
  /** Stops pulling once true (a failure no later item can avoid); asked before each pull. */
  stopped?: (() => boolean) | undefined;
  /** Handle one item to its end, outcome included. Should not reject: a rejection only frees the slot. */
  run(item: T): Promise<void>;
}

/**
 * Pull items and run them, at most `window()` at once, until the source is exhausted, the signal fires or
 * `stopped()` says so; resolves once every item started has finished. Only this loop waits, so one wake-up per
 * finished item is enough: no `Promise.race` over everything in flight.
 */
export async function runPipeline<T>(task: PipelineTask<T>): Promise<void> {
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const slotFreed = () => new Promise<void>((resolve) => (wake = resolve));
  const finished = () => {
    inFlight -= 1;
    const resume = wake;
    wake = undefined;
    resume?.();
  };

  while (!task.signal?.aborted && !task.stopped?.()) {
    if (inFlight >= task.window()) {
      await slotFreed();
      continue;
    }
    const next = await task.source.next();
    if (next.done) break;
    inFlight += 1;
    task.run(next.value).then(finished, finished);
  }
  while (inFlight > 0) await slotFreed();
}
