// Tsung 1.7.0 (Debian's tsung, an Erlang VM) running its jabber_register example: one session per user
// (connect, register, close), new users arriving at `arrivalRate` per second, against the bench server only.
// This wrapper writes the scenario, runs `tsung start` in a throwaway HOME and log dir, samples the Tsung process
// tree's CPU and the VM's memory from /proc while it runs, and reads Tsung's own logs afterwards.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/servers/ports.js";
import { type Job, type Measurement, main } from "./measure.js";
import {
  counters,
  findTsung,
  matches,
  readOr,
  runDir,
  scenarioXml,
  settled,
  TSUNG_INSTALL_HINT,
  tsungVersion,
} from "./tsung-lib.js";

interface TsungJob extends Job {
  /** New users per second (TSUNG_ARRIVAL_RATES in bench/lib/contenders.ts; bench/README.md has the rates tried). */
  arrivalRate?: number;
  /** Keep the scenario and Tsung's logs (printed on stderr) instead of deleting them. */
  keepLogs?: boolean;
}

const DEFAULT_ARRIVAL_RATE = 1000;
const SAMPLE_MS = 20;
const TICKS = 100; // CLK_TCK on Linux: /proc's utime and stime count 1/100 s

interface Proc {
  pid: number;
  comm: string;
  /** utime + stime + cutime + cstime, in ticks: children already reaped count in their parent's c* fields. */
  ticks: number;
}

function proc(pid: number): Proc | undefined {
  const stat = readOr(`/proc/${pid}/stat`, undefined);
  if (!stat) return undefined;
  const close = stat.lastIndexOf(")");
  const fields = stat.slice(close + 2).split(" "); // fields[0] is field 3 (state)
  const num = (field: number) => Number(fields[field - 3]);
  return { pid, comm: stat.slice(stat.indexOf("(") + 1, close), ticks: num(14) + num(15) + num(16) + num(17) };
}

function tasks(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/** The live tree under `root` (the tsung script: bash, then erl's beam.smp, erl_child_setup, memsup, cpu_sup). */
function tree(root: number): Proc[] {
  const out: Proc[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift() as number;
    const p = proc(pid);
    if (!p) continue;
    out.push(p);
    // A child is listed under the thread that forked it (the VM forks from any of its threads).
    for (const task of tasks(pid)) {
      const kids = readOr(`/proc/${pid}/task/${task}/children`, undefined);
      if (kids) queue.push(...kids.trim().split(/\s+/).filter(Boolean).map(Number));
    }
  }
  return out;
}

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readOr(`/proc/${pid}/status`, ""));
  return m ? Number(m[1]) : undefined;
}

interface Sample {
  /** Milliseconds since the epoch: the clock Tsung stamps match.log with. */
  at: number;
  ticks: number;
  rssKb?: number;
}

/** The tree's CPU ticks at `at`, interpolated between the samples around it. */
function ticksAt(samples: Sample[], at: number): number {
  const after = samples.findIndex((s) => s.at >= at);
  if (after <= 0) return (samples[after === 0 ? 0 : samples.length - 1] as Sample).ticks;
  const a = samples[after - 1] as Sample;
  const b = samples[after] as Sample;
  return a.ticks + ((b.ticks - a.ticks) * (at - a.at)) / Math.max(1, b.at - a.at);
}

function rssAt(samples: Sample[], at: number): number {
  let best: number | undefined;
  for (const s of samples) if (s.at <= at && s.rssKb !== undefined) best = s.rssKb;
  return best ?? samples.find((s) => s.rssKb !== undefined)?.rssKb ?? 0;
}

/** CPU seconds the process and its reaped children used (`getrusage(RUSAGE_CHILDREN)` from /proc/self/stat). */
function childrenCpuSeconds(): number {
  const self = readFileSync("/proc/self/stat", "utf8");
  const fields = self.slice(self.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / TICKS;
}

/** Tsung's `-k` message: the test is over, its stats are being closed, the VM waits to be stopped. */
const FINISHED = /keep controller and web dashboard alive/;
/** match.log is written with delayed_write (5 s): the VM must live this long past the last match. */
const SETTLE_MS = 7000;

interface TsungRun {
  code: number | null;
  output: string;
  samples: Sample[];
  hwmKb: number;
  /** Killed on the job's deadline, before the test was over. */
  killed: boolean;
}

/**
 * Runs `tsung … -k start`: with -k the controller stays up once the test is over instead of halting at once
 * (a halt loses the matches logged in the last 5 s: match.log is a delayed_write file). When tsung.log is closed
 * (its EndMonitor line) and match.log holds as many lines as its `match` counter, or SETTLE_MS later, the VM gets
 * SIGTERM (Erlang's init:stop). On the job's deadline the whole group is killed.
 */
function runTsung(tsung: string, args: string[], env: NodeJS.ProcessEnv, stopAt: number, logRoot: string) {
  return new Promise<TsungRun>((resolve, reject) => {
    // Its own process group: the whole tree (script, VM, port programs) is signalled at once.
    const child: ChildProcess = spawn(tsung, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let finishedAt: number | undefined;
    let stoppingAt: number | undefined;
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
      if (finishedAt === undefined && FINISHED.test(output)) finishedAt = Date.now();
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const samples: Sample[] = [];
    let hwmKb = 0;
    let beam: number | undefined;
    let killed = false;
    const signal = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // gone already
      }
    };
    const killAll = () => signal("SIGKILL");
    process.once("exit", killAll);
    const timer = setInterval(() => {
      if (!child.pid) return;
      const now = Date.now();
      if (finishedAt === undefined) {
        const procs = tree(child.pid);
        beam ??= procs.find((p) => p.comm.startsWith("beam"))?.pid;
        const rssKb = beam !== undefined ? statusKb(beam, "VmRSS") : undefined;
        if (beam !== undefined) hwmKb = Math.max(hwmKb, statusKb(beam, "VmHWM") ?? 0);
        samples.push({ at: now, ticks: procs.reduce((sum, p) => sum + p.ticks, 0), ...(rssKb ? { rssKb } : {}) });
      }
      if (stoppingAt !== undefined) {
        if (now - stoppingAt > 5000) killAll();
      } else if (finishedAt !== undefined) {
        const dir = runDir(logRoot);
        if (now - finishedAt > SETTLE_MS || (dir && settled(dir))) {
          stoppingAt = now;
          // The VM alone: it stops (init:stop), then the script exits and every process is reaped in turn, so
          // their CPU reaches this process's children's rusage.
          if (beam !== undefined) process.kill(beam, "SIGTERM");
          else signal("SIGTERM");
        }
      } else if (now > stopAt) {
        killed = true;
        stoppingAt = now;
        killAll();
      }
    }, SAMPLE_MS);
    child.once("error", (err) => (clearInterval(timer), reject(err)));
    child.once("close", (code) => {
      clearInterval(timer);
      process.removeListener("exit", killAll);
      resolve({ code, output, samples, hwmKb, killed });
    });
  });
}

async function run(job: TsungJob, tsung: string): Promise<Measurement> {
  const arrivalRate = job.arrivalRate ?? DEFAULT_ARRIVAL_RATE;
  const started = Date.now();
  const stopAt = started + job.deadlineMs * 0.9;
  const home = mkdtempSync(join(tmpdir(), "reguser-tsung-"));
  const logRoot = join(home, "log");
  const config = join(home, "register.xml");
  writeFileSync(
    config,
    scenarioXml({
      host: job.host,
      port: job.port,
      domain: job.domain,
      n: job.n,
      prefix: job.prefix,
      arrivalRate,
      maxSeconds: (job.deadlineMs * 0.8) / 1000,
      replyTimeoutMs: Math.min(60_000, job.deadlineMs / 2),
    }),
  );
  // The VM's Erlang distribution port (the controller is a named node): 127.0.0.1, no epmd.
  const distPort = await freePort();
  const id = `${job.prefix.replace(/\W/g, "")}${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home, // the script creates $HOME/.tsung
    // The controller is an Erlang node: its distribution listens on 127.0.0.1:distPort, and no epmd is started
    // (nor left running, as the ejabberd harness does it). Read by erl, whatever the tsung script passes.
    ERL_AFLAGS: `-start_epmd false -erl_epmd_port ${distPort} -kernel inet_dist_use_interface {127,0,0,1}`,
    ERL_EPMD_ADDRESS: "127.0.0.1",
  };
  // -n: no web dashboard (port 8091); -r /bin/false: never ssh anywhere (remote beams are never started with
  // use_controller_vm on localhost, and this makes sure); -i: its own node name and cookie; -t/-T: the dist port.
  const args = [
    "-f",
    config,
    "-l",
    logRoot,
    "-n",
    "-r",
    "/bin/false",
    "-i",
    id,
    "-t",
    `${distPort}`,
    "-T",
    `${distPort}`,
  ];
  try {
    const result = await runTsung(tsung, [...args, "-k", "start"], env, stopAt, logRoot);
    const wallSeconds = (Date.now() - started) / 1000;
    const dir = runDir(logRoot);
    if (!dir)
      throw new Error(
        `tsung wrote no log (exit ${result.code}): ${result.output.trim().split("\n").slice(-3).join(" | ")}`,
      );
    const m = matches(dir);
    const c = counters(dir);
    const t0 = (m.firstConnected ?? 0) * 1000;
    const t1 = (m.lastRegistered ?? m.lastAny ?? 0) * 1000;
    const { samples } = result;
    const cpuSeconds = samples.length && t1 > t0 ? (ticksAt(samples, t1) - ticksAt(samples, t0)) / TICKS : 0;
    const errors = Object.entries(c)
      .filter(([k]) => k.startsWith("error_"))
      .map(([k, v]) => `${k} ${v}`);
    const notes = [
      `Tsung ${tsungVersion(tsung) ?? "?"}, arrival rate ${arrivalRate}/s`,
      `counters: users ${c.users_count ?? 0}, finished ${c.finish_users_count ?? 0}, match ${c.match ?? 0} (${m.connected} connected + ${m.registeredLines} registered), nomatch ${c.nomatch ?? 0}`,
      ...errors,
      ...(m.registeredLines !== m.registered ? [`${m.registeredLines - m.registered} user ids registered twice`] : []),
      ...((c.match ?? 0) > m.connected + m.registeredLines
        ? [`match.log is ${(c.match ?? 0) - m.connected - m.registeredLines} lines short of the match counter`]
        : []),
      `whole tsung run ${wallSeconds.toFixed(1)} s, ${childrenCpuSeconds().toFixed(2)} s CPU with the VM's start and stop`,
      ...(result.killed ? ["deadline: tsung killed"] : []),
      ...(result.code !== 0 && !result.killed ? [`tsung exit ${result.code}`] : []),
    ];
    if (job.keepLogs) process.stderr.write(`tsung logs kept in ${dir}\n`);
    return {
      users: job.n,
      ok: m.registered,
      failed: job.n - m.registered,
      seconds: t1 > t0 ? (t1 - t0) / 1000 : wallSeconds,
      cpuSeconds,
      maxRssKb: result.hwmKb,
      rssBeforeKb: samples.length ? rssAt(samples, t0) : 0,
      note: notes.join("; "),
    };
  } finally {
    if (!job.keepLogs) rmSync(home, { recursive: true, force: true });
  }
}

// Checked before anything else, on one stderr line: the runner shows the child's last lines as the problem.
const tsung = findTsung();
if (!tsung) {
  process.stderr.write(`not run: no tsung (BENCH_TSUNG, /usr/bin/tsung or PATH): ${TSUNG_INSTALL_HINT}\n`);
  process.exit(2);
}
main((job) => run(job as TsungJob, tsung));
