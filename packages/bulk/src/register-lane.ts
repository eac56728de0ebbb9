// One stream's share of registerMany: pipelined registrations, lost replies detected (docs/traps.md#trap-2).
import { TimeoutError } from "@reguser/errors";
import { type NewAccount, type RegisterOptions, register } from "@reguser/register";
import type { XmppStream } from "@reguser/stream";
import { LOST, LostReplyDetector } from "./lost-replies.js";
import { runPipeline } from "./pipeline.js";
import { RenewableStream } from "./renewable-stream.js";
import type { ReportBuilder } from "./report.js";
import type { ThrottleGate } from "./throttle-gate.js";

/** What one stream's share needs: where accounts come from, where outcomes go. */
export interface RegisterLane {
  stream: XmppStream;
  /** Shared by every stream of the run. */
  source: AsyncIterator<NewAccount>;
  /** Requests in flight on this stream (one once replies were seen to be lost). */
  window: number;
  signal?: AbortSignal | undefined;
  /** Stops pulling once true (the server refused registration as such). */
  stopped?: (() => boolean) | undefined;
  requestOptions: Pick<RegisterOptions, "timeout" | "saslprep">;
  report: ReportBuilder;
  /** Accounts whose reply was lost: settled afterwards. */
  suspects: NewAccount[];
  /** Settle an account whose request a stream the server ended failed: log in, else register (its outcome reported). */
  settle: (account: NewAccount) => Promise<void>;
  /** Takes a failed account off the report (it goes elsewhere: the admin path); true when it did. */
  divert?: ((account: NewAccount, error: Error) => boolean) | undefined;
  /** The run's state at the server's registration throttle. */
  throttle: ThrottleGate;
}

/**
 * Resolves when the source is exhausted (or the lane stopped) and every request has settled. A stream the server
 * ends under the run is replaced by a fresh one (`renewedStreams` counts them); the requests it failed are settled
 * at once, each by a login or a registration of its own, so their outcomes are not held back to the end.
 */
export async function runRegisterLane(
  lane: RegisterLane,
): Promise<{ lostReplies: boolean; renewedStreams: number; error?: Error }> {
  const detector = new LostReplyDetector();
  const streams = new RenewableStream(lane.stream);
  let fatal: Error | undefined;
  try {
    fatal = await runLane(lane, detector, streams);
  } finally {
    await streams.closeOpened();
  }
  return { lostReplies: detector.lost, renewedStreams: streams.renewed, ...(fatal ? { error: fatal } : {}) };
}

/** The pipeline of one lane; resolves with the failure that ended it, if one did. */
async function runLane(
  lane: RegisterLane,
  detector: LostReplyDetector,
  streams: RenewableStream,
): Promise<Error | undefined> {
  const { report } = lane;
  let fatal: Error | undefined;
  await runPipeline({
    source: lane.source,
    // One request at a time once replies were seen to be lost, or the server throttles registrations.
    window: () => (lane.throttle.hit ? 1 : detector.window(lane.window)),
    signal: lane.signal,
    stopped: () => fatal !== undefined || lane.throttle.stopped || (lane.stopped?.() ?? false),
    run: async (account) => {
      for (;;) {
        const seq = detector.send();
        report.inFlight += 1;
        const { username } = account;
        let stream: XmppStream | undefined;
        try {
          const next = streams.get();
          stream = next instanceof Promise ? await next : next;
          if ((await detector.race(seq, register(stream, account, lane.requestOptions))) === LOST) {
            report.inFlight -= 1;
            lane.suspects.push(account);
            return;
          }
          streams.succeeded(stream);
          detector.answered(seq);
          report.inFlight -= 1;
          lane.throttle.passed();
          report.add({ username, ok: true });
          return;
        } catch (err) {
          const error = err as Error;
          report.inFlight -= 1;
          if (error instanceof TimeoutError && detector.timedOut(seq)) {
            lane.suspects.push(account);
            return;
          }
          if (!(error instanceof TimeoutError)) detector.answered(seq);
          if (stream && streams.renewAfter(error, stream)) {
            report.inFlight += 1;
            await lane.settle(account);
            report.inFlight -= 1;
            return;
          }
          if (!stream || stream.closed) fatal ??= error;
          const throttled = lane.throttle.met(error);
          if (lane.divert?.(account, error)) return;
          if (throttled && (await lane.throttle.waitToRetry(report, lane.signal))) continue;
          if (throttled) lane.throttle.stopped = true;
          report.add({ username, ok: false, error });
          return;
        }
      }
    },
  });
  return fatal;
}
