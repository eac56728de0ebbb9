// A progress bar on stderr, only when stderr is a terminal: never in --json or piped output. cli-progress draws it
// (cursor, line wrap, at most REDRAWS_PER_SECOND redraws); progress-line.ts says what the line holds.
import { SingleBar } from "cli-progress";
import { type ProgressCounts, ProgressModel } from "./progress-line.js";

export interface Progress {
  update(counts: ProgressCounts): void;
  /** The run waits `ms` for the server's registration throttle. */
  waiting(ms: number): void;
  /** Ctrl-C: no more is sent, the line says what is still in flight. */
  stopping(): void;
  stop(): void;
}

/** Redraws are timed by cli-progress, never per outcome: a fast run does not flood the terminal. */
export const REDRAWS_PER_SECOND = 10;

const SILENT: Progress = {
  update: () => undefined,
  waiting: () => undefined,
  stopping: () => undefined,
  stop: () => {},
};

/** `total`: the accounts to send, undefined when unknown. `now` is the clock (milliseconds), injectable. */
export function createProgress(
  stream: NodeJS.WriteStream,
  total: number | undefined,
  enabled: boolean,
  now: () => number = () => performance.now(),
): Progress {
  if (!enabled || !stream.isTTY) return SILENT;
  const model = new ProgressModel(now(), total);
  const bar = new SingleBar({
    stream,
    format: () => model.line(now()),
    fps: REDRAWS_PER_SECOND,
    hideCursor: true,
  });
  bar.start(total ?? 0, 0);
  return {
    update: (counts) => {
      model.update(now(), counts);
      bar.update({});
    },
    waiting: (ms) => model.waiting(now(), ms),
    stopping: () => model.stopping(),
    stop: () => bar.stop(),
  };
}
