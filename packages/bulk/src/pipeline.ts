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
  const inFlight = new Set<Promise<void>>();
  let fatal: Error | undefined;

  const start = (item: T) => {
    const seq = detector.send();
    task.report.inFlight += 1;
    const settle = (outcome: Outcome | undefined) => {
      task.report.inFlight -= 1;
      if (outcome) task.report.add(outcome);
    };
    const username = task.name(item);
    const request = task.run(task.stream, item).then(
      () => (detector.answered(seq), settle({ username, ok: true })),
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
    const tracked: Promise<void> = request.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  while (!task.signal?.aborted && fatal === undefined) {
    const limit = detector.lost ? 1 : task.window;
    if (inFlight.size >= limit) {
      await Promise.race(inFlight);
      continue;
    }
    const next = await task.source.next();
    if (next.done) break;
    start(next.value);
  }
  await Promise.all(inFlight);
  return { lostReplies: detector.lost, error: fatal };
}
