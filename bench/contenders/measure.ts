// The child's side of a contender run: read the job from argv, time one phase, print one JSON line.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

export interface Job {
  host: string;
  port: number;
  domain: string;
  /** A WebSocket endpoint to use instead of host and port (the `reguser-many-ws` contender). */
  url?: string;
  /** Accounts to register. */
  n: number;
  /** Unique per run: usernames are `${prefix}${i}`. */
  prefix: string;
  /** registerMany: requests in flight (undefined: the library default). */
  concurrency?: number;
  /** registerMany: keep every outcome in the report (undefined: the library default). */
  keepOutcomes?: boolean;
  /** Give up after this many milliseconds (the runner kills the child a little later). */
  deadlineMs: number;
}

export interface Measurement {
  users: number;
  ok: number;
  failed: number;
  seconds: number;
  cpuSeconds: number;
  /** `cpuSeconds` split: in the process's own code, and in the kernel on its behalf (socket reads and writes). */
  userSeconds?: number;
  systemSeconds?: number;
  maxRssKb: number;
  /** RSS just before the timed phase: what loading the code cost. */
  rssBeforeKb: number;
  note?: string;
}

export function readJob(): Job {
  const arg = process.argv[2];
  if (!arg) throw new Error("usage: contender '<job JSON>'");
  return JSON.parse(arg) as Job;
}

export function accountOf(job: Job, i: number): { username: string; password: string } {
  return { username: `${job.prefix}${i}`, password: `pw-${i}-${job.prefix}` };
}

/** Time `phase`, which reports how many registrations succeeded and failed. */
export async function measure(
  job: Job,
  phase: () => Promise<{ ok: number; failed: number; note?: string }>,
): Promise<Measurement> {
  const profiler = await startProfile(process.env.BENCH_CPU_PROFILE);
  const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { ok, failed, note } = await phase();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await profiler?.();
  return {
    users: job.n,
    ok,
    failed,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    userSeconds: cpu.user / 1e6,
    systemSeconds: cpu.system / 1e6,
    maxRssKb: process.resourceUsage().maxRSS,
    rssBeforeKb,
    ...(note ? { note } : {}),
  };
}

/**
 * With BENCH_CPU_PROFILE set (bench/profile.ts sets it), the timed phase alone is sampled every 100 µs and the
 * .cpuprofile written there: start-up and module loading stay out of the picture.
 */
async function startProfile(file: string | undefined): Promise<(() => Promise<void>) | undefined> {
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/**
 * Per-connection contenders: `registerOne(i)` for each account in turn, until done or 90 % of the deadline has
 * gone (the rest count as failed, and the note says so). `describe` names the first error in the note.
 */
export function oneAfterAnother(
  job: Job,
  registerOne: (i: number) => Promise<void>,
  describe: (err: Error) => string = (err) => err.name,
): Promise<Measurement> {
  const stopAt = Date.now() + job.deadlineMs * 0.9;
  return measure(job, async () => {
    let ok = 0;
    let failed = 0;
    let firstError: string | undefined;
    for (let i = 0; i < job.n && Date.now() < stopAt; i++) {
      try {
        await registerOne(i);
        ok += 1;
      } catch (err) {
        failed += 1;
        firstError ??= describe(err as Error);
      }
    }
    const unreached = job.n - ok - failed;
    const notes = [firstError && `first error ${firstError}`, unreached > 0 && `deadline: ${unreached} not tried`];
    return { ok, failed: failed + unreached, note: notes.filter(Boolean).join("; ") };
  });
}

/** The runner reads the last stdout line. */
export function report(m: Measurement): void {
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

/** Run a contender's main; any throw becomes a failed measurement, and the process always exits. */
export function main(run: (job: Job) => Promise<Measurement>): void {
  const job = readJob();
  const guard = setTimeout(() => {
    process.stderr.write(`deadline of ${job.deadlineMs} ms passed\n`);
    process.exit(3);
  }, job.deadlineMs);
  guard.unref();
  run(job).then(
    (m) => {
      report(m);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(2);
    },
  );
}
