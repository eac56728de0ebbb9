// One stream's share of a bulk run: keep up to `window` requests in flight, pulling accounts as slots free up.
import { TimeoutError } from "@reguser/errors";
import type { XmppStream } from "@reguser/stream";
import { LostReplyDetector } from "./lost-replies.js";
import type { Outcome, ReportBuilder } from "./report.js";

export interface PipelineTask<T> {
  stream: XmppStream;
  /** Shared by every stream of the run; each pull takes the next account. */
  source: AsyncIterator<T>;
  window: number;
  signal?: AbortSignal | undefined;
  name(item: T): string;
  run(stream: XmppStream, item: T): Promise<void>;
  report: ReportBuilder;
  /** Accounts whose reply was lost: settled afterwards. */
  suspects: T[];
}

/** Resolves when the source is exhausted (or the signal fired) and every request has settled. */
export async function runPipeline<T>(task: PipelineTask<T>): Promise<{ lostReplies: boolean; error?: Error }> {
  const detector = new LostReplyDetector();
  let inFlight = 0;
  // Only this loop ever waits, so one wake-up is enough: no Promise.race over every request in flight.
  let wake: (() => void) | undefined;
  const slotFreed = () => new Promise<void>((resolve) => (wake = resolve));
  let fatal: Error | undefined;

  const start = (item: T) => {
    const seq = detector.send();
    inFlight += 1;
    task.report.inFlight += 1;
    const username = task.name(item);
    const settle = (outcome: Outcome | undefined) => {
      inFlight -= 1;
      task.report.inFlight -= 1;
      if (outcome) task.report.add(outcome);
      const resume = wake;
      wake = undefined;
      resume?.();
    };
    task.run(task.stream, item).then(
      () => {
        detector.answered(seq);
        settle({ username, ok: true });
      },
      (error: Error) => {
        if (error instanceof TimeoutError && detector.timedOut(seq)) {
          task.suspects.push(item);
          return settle(undefined);
        }
        if (!(error instanceof TimeoutError)) detector.answered(seq);
        if (task.stream.closed) fatal ??= error;
        settle({ username, ok: false, error });
      },
    );
  };

  while (!task.signal?.aborted && fatal === undefined) {
    if (inFlight >= (detector.lost ? 1 : task.window)) {
      await slotFreed();
      continue;
    }
    const next = await task.source.next();
    if (next.done) break;
    start(next.value);
  }
  while (inFlight > 0) await slotFreed();
  return { lostReplies: detector.lost, error: fatal };
}
