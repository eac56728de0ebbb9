// Bounded waits: a TCP port on 127.0.0.1 that accepts, a line in a log.
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface WaitOptions {
  timeoutMs: number;
  /** Polling interval; default 50 ms. */
  intervalMs?: number;
  /** Called before every attempt; throw to give up early (e.g. the process died). */
  check?: () => void;
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}

/** Resolves once 127.0.0.1:port accepts a connection; throws after timeoutMs. */
export async function waitForPort(port: number, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.check?.();
    if (await tryConnect(port)) return;
    if (Date.now() >= deadline) throw new Error(`127.0.0.1:${port} did not accept within ${options.timeoutMs} ms`);
    await sleep(options.intervalMs ?? 50);
  }
}

/** Resolves once readLog() matches pattern; throws after timeoutMs, or at once when failOn matches. */
export async function waitForLog(
  readLog: () => Promise<string>,
  pattern: RegExp,
  options: WaitOptions & { failOn?: RegExp },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.check?.();
    const text = await readLog();
    if (pattern.test(text)) return;
    const failed = options.failOn ? text.match(options.failOn) : null;
    if (failed) throw new Error(`log shows: ${failed[0]}`);
    if (Date.now() >= deadline) throw new Error(`log did not show ${pattern} within ${options.timeoutMs} ms`);
    await sleep(options.intervalMs ?? 50);
  }
}

/** Resolves once the process with this pid is gone; false if it is still there after timeoutMs. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!pidAlive(pid)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
