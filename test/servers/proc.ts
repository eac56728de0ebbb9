// Child processes of the harness: spawn with output to a log file, stop by pid, and a
// best-effort cleanup when the test process exits.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { pidAlive, waitForExit } from "./wait.js";

const livePids = new Set<number>();
const liveDirs = new Set<string>();
let hooked = false;

/** Processes whose command line names dir: every server process does (its config lives there). */
function pidsNamingSync(dirs: Set<string>): number[] {
  if (dirs.size === 0) return [];
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      for (const dir of dirs) if (cmdline.includes(dir)) found.push(Number(entry));
    } catch {}
  }
  return found;
}

/** Synchronous last-resort cleanup: SIGKILL everything started, remove the dirs. */
function cleanupSync(): void {
  for (const pid of [...livePids, ...pidsNamingSync(liveDirs)]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  livePids.clear();
  if (!process.env.REGUSER_KEEP_SERVER_DIRS) {
    for (const dir of liveDirs) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {}
    }
  }
  liveDirs.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", cleanupSync);
  // A signal death skips "exit": clean up, then let the signal take its default course unless
  // someone else handles it.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      cleanupSync();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

export function trackPid(pid: number): void {
  hookExit();
  livePids.add(pid);
}
export function untrackPid(pid: number): void {
  livePids.delete(pid);
}
export function trackDir(dir: string): void {
  hookExit();
  liveDirs.add(dir);
}
export function untrackDir(dir: string): void {
  liveDirs.delete(dir);
}

export interface SpawnOptions {
  cwd: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Non-empty once the process has exited (or failed to spawn). */
  exitReason(): string | undefined;
}

/** Starts cmd with stdout+stderr appended to logFile; the pid is killed if the test process exits. */
export function spawnLogged(cmd: string, args: string[], options: SpawnOptions): Spawned {
  const fd = openSync(options.logFile, "a");
  let reason: string | undefined;
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", fd, fd],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
  } finally {
    closeSync(fd);
  }
  child.on("error", (err) => {
    reason = `${cmd} failed to start: ${err.message}`;
  });
  child.on("exit", (code, signal) => {
    reason = `${cmd} exited (${signal ?? `code ${code}`})`;
    if (child.pid) untrackPid(child.pid);
  });
  if (!child.pid) throw new Error(`${cmd} failed to start`);
  trackPid(child.pid);
  return { child, pid: child.pid, exitReason: () => reason };
}

/** SIGTERM (or the given signal), wait up to graceMs, then SIGKILL; resolves once the pid is gone. */
export async function killPid(pid: number, graceMs = 5000, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!pidAlive(pid)) return untrackPid(pid);
  try {
    process.kill(pid, signal);
  } catch {}
  if (!(await waitForExit(pid, graceMs))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
    if (!(await waitForExit(pid, 5000))) throw new Error(`pid ${pid} survived SIGKILL`);
  }
  untrackPid(pid);
}

/** Pids whose command line contains needle (a unique token of one server instance). */
export async function pidsMatching(needle: string): Promise<number[]> {
  const { readdir, readFile } = await import("node:fs/promises");
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, "utf8")).replaceAll("\0", " ");
      if (cmdline.includes(needle)) found.push(Number(entry));
    } catch {}
  }
  return found;
}
