// The built reguser-server executable (dist/bin.js) as a child process: start it, wait for its listening line.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));
const PACKAGE = fileURLToPath(new URL("../..", import.meta.url));
/** Guards against a hang only: a server that never says where it listens is given up on after this. */
const LISTEN_LIMIT_MS = 60_000;

/** The executable under test is the compiled one: bring dist/ up to date (a no-op after the build). */
export function buildServer(): void {
  const build = spawnSync("npx", ["tsc", "-b", PACKAGE], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`tsc -b packages/server failed:\n${build.stdout}${build.stderr}`);
}

export interface RunningBin {
  child: ChildProcess;
  port: number;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the executable; resolves once it printed `listening on HOST:PORT`, rejects if it exits first. */
export function startBin(args: string[]): Promise<RunningBin> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no listening line within ${LISTEN_LIMIT_MS} ms: ${out}${err}`));
    }, LISTEN_LIMIT_MS);
    child.stdout.on("data", () => {
      const port = /listening on [^\s]+:(\d+) /.exec(out)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({ child, port: Number(port), stdout: () => out, stderr: () => err, exited });
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before listening: ${out}${err}`));
    });
  });
}

/** Runs the executable to its end (for --help and usage errors). */
export function runBin(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: LISTEN_LIMIT_MS });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
