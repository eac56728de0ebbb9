// The built `reguser` binary (packages/cli/dist/bin.js) as a child process: build it, run it, collect its output.
import { spawn, spawnSync } from "node:child_process";

/** The compiled executable. */
export const BIN = new URL("../../packages/cli/dist/bin.js", import.meta.url).pathname;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The binary under test is the compiled one: bring dist/ up to date (a no-op after `npm test`'s build). */
export function buildCli(): void {
  const build = spawnSync("npx", ["tsc", "-b", "packages/cli"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`tsc -b packages/cli failed:\n${build.stdout}${build.stderr}`);
}

/**
 * Run the binary with `args`, feeding `input` to its stdin (then closing it). `env` is added to a copy of this
 * process's environment with every REGUSER_* variable removed, so that a developer's own settings never leak in.
 */
export function reguser(args: string[], input = "", env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("REGUSER_")));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...base, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 25_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
