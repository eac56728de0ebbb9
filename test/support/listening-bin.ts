// A service bin (reguser-gateway, reguser-web-bridge) as a child process on a free port: started, waited for until
// it prints its listening line, and stopped with a signal. Retried on another port if one was taken meanwhile.
import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "../servers/ports.js";

/** Bounds on the child, far above what it needs: they only keep a hang from outliving the test. */
const LISTEN_MS = 20_000;
const EXIT_MS = 20_000;

/** A running bin: its output so far, and a stop that signals it and resolves with its exit code. */
export interface RunningBin {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface BinStart {
  /** The executable script (node_modules/.bin/…), run with this Node. */
  script: string;
  /** Its name, for the error when it does not start. */
  name: string;
  /** What stdout holds once it listens. */
  listening: string;
  /** Its arguments and environment for a port. */
  settings(port: number): { args?: string[]; env: NodeJS.ProcessEnv };
}

export async function startListeningBin(start: BinStart): Promise<RunningBin> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const { args = [], env } = start.settings(port);
    const child = spawn(process.execPath, [start.script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    const exited = exitOf(child);
    const listening = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), LISTEN_MS);
      const check = () => {
        if (!stdout.includes(start.listening)) return;
        clearTimeout(timer);
        resolve(true);
      };
      child.stdout?.on("data", check);
      void exited.then(() => {
        clearTimeout(timer);
        resolve(stdout.includes(start.listening));
      });
    });
    if (!listening) {
      child.kill("SIGKILL");
      const code = await exited;
      if (attempt < 3 && /EADDRINUSE/.test(stderr)) continue;
      throw new Error(`${start.name} did not start (exit ${code}):\n${stdout}${stderr}`);
    }
    return {
      url: `http://127.0.0.1:${port}`,
      child,
      stdout: () => stdout,
      stderr: () => stderr,
      async stop(signal = "SIGTERM") {
        child.kill(signal);
        const timer = setTimeout(() => child.kill("SIGKILL"), EXIT_MS);
        const code = await exited;
        clearTimeout(timer);
        return code;
      },
    };
  }
}

/** The child's exit code (null when a signal ended it), at once if it has exited. */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}
