// registerMany at scale: one stream, accounts streamed from a generator, `keepOutcomes: false`. At each checkpoint
// (bench/scale.ts sends them in the job) the generator holds back the next account until every earlier one has its
// outcome, prints the figures so far as one JSON line, and waits for a line on stdin: the parent measures the raw
// script against the same server meanwhile, at the same fill.
import { createInterface } from "node:readline";
import { openStream, registerMany } from "reguser";
import { accountOf, type Job } from "./measure.js";

export interface ScaleJob extends Job {
  /** Account counts after which the run pauses (ascending, below n). */
  checkpoints: number[];
}

/** One JSON line per checkpoint, and one at the end. */
export interface Checkpoint {
  done: number;
  ok: number;
  failed: number;
  /** Seconds of the timed phase so far (pauses excluded). */
  seconds: number;
  /** Client CPU seconds so far (pauses excluded). */
  cpuSeconds: number;
  rssKb: number;
  /** Peak RSS of the process so far. */
  maxRssKb: number;
  heapUsedKb: number;
  byError: Record<string, number>;
}

const job = JSON.parse(process.argv[2] ?? "") as ScaleJob;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

let ok = 0;
let failed = 0;
const byError: Record<string, number> = {};
let settledWaiter: { at: number; resolve: () => void } | undefined;
let seconds = 0;
let cpuSeconds = 0;
let since = { t: performance.now(), cpu: process.cpuUsage() };

function clock(): void {
  const cpu = process.cpuUsage(since.cpu);
  seconds += (performance.now() - since.t) / 1000;
  cpuSeconds += (cpu.user + cpu.system) / 1e6;
}

function checkpoint(): Checkpoint {
  return {
    done: ok + failed,
    ok,
    failed,
    seconds,
    cpuSeconds,
    rssKb: Math.round(process.memoryUsage().rss / 1024),
    maxRssKb: process.resourceUsage().maxRSS,
    heapUsedKb: Math.round(process.memoryUsage().heapUsed / 1024),
    byError: { ...byError },
  };
}

async function* accounts(): AsyncGenerator<{ username: string; password: string }> {
  const stops = [...job.checkpoints];
  for (let i = 0; i < job.n; i++) {
    if (i === stops[0]) {
      stops.shift();
      if (ok + failed < i) await new Promise<void>((resolve) => (settledWaiter = { at: i, resolve }));
      clock();
      process.stdout.write(`${JSON.stringify(checkpoint())}\n`);
      if ((await lines.next()).done) return; // the parent went away
      since = { t: performance.now(), cpu: process.cpuUsage() };
    }
    yield accountOf(job, i);
  }
}

const stream = await openStream({ host: job.host, port: job.port, domain: job.domain, timeout: 120_000 });
since = { t: performance.now(), cpu: process.cpuUsage() };
const report = await registerMany(stream, accounts(), {
  keepOutcomes: false,
  onOutcome: (outcome) => {
    if (outcome.ok) ok += 1;
    else {
      failed += 1;
      byError[outcome.error.name] = (byError[outcome.error.name] ?? 0) + 1;
    }
    if (settledWaiter && ok + failed >= settledWaiter.at) {
      const { resolve } = settledWaiter;
      settledWaiter = undefined;
      resolve();
    }
  },
});
clock();
process.stdout.write(
  `${JSON.stringify({ ...checkpoint(), final: true, error: report.error?.message, renewedStreams: report.renewedStreams })}\n`,
);
await stream.close();
process.exit(0);
