// The built `reguser` binary (packages/cli/dist/bin.js) as a child process: build it, run it, collect its output.
import { spawnSync } from "node:child_process";
import { type Run, runChild } from "./run-child.js";

/** The compiled executable. */
export const BIN = new URL("../../packages/cli/dist/bin.js", import.meta.url).pathname;

export type { Run };

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
  return runChild(process.execPath, [BIN, ...args], { env: { ...base, ...env }, input });
}
