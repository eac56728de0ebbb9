// A progress bar on stderr (cli-progress), only when stderr is a terminal: never in --json or piped output.
import { Presets, SingleBar } from "cli-progress";

export interface Progress {
  update(done: number, ok: number, failed: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

export function createProgress(stream: NodeJS.WriteStream, total: number, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) return SILENT;
  const bar = new SingleBar(
    {
      stream,
      format: "{bar} {percentage}% | {value}/{total} | ok {ok} failed {failed} | {eta_formatted} left",
      hideCursor: true,
      etaBuffer: 200,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { ok: 0, failed: 0 });
  return {
    update: (done, ok, failed) => {
      if (done > bar.getTotal()) bar.setTotal(done);
      bar.update(done, { ok, failed });
    },
    stop: () => bar.stop(),
  };
}
