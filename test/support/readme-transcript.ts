// A README's shell transcript (`$ command`, `\` continuations, then what it prints) run with bash, as written.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runChild } from "./run-child.js";

export interface TranscriptStep {
  command: string;
  /** The lines printed on stdout, as the README shows them. */
  expected: string[];
}

export interface StepRun extends TranscriptStep {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The first fenced block that starts with `$ ` and contains `marker`, as commands and their output. */
export function transcript(markdown: string, marker: string): TranscriptStep[] {
  const blocks = [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  const block = blocks.find((b) => b.startsWith("$ ") && b.includes(marker));
  if (!block) throw new Error(`no transcript with ${JSON.stringify(marker)}`);
  const steps: TranscriptStep[] = [];
  let continued = false;
  for (const line of block.trimEnd().split("\n")) {
    const current = steps.at(-1);
    if (continued && current) current.command += ` ${line.trim()}`;
    else if (line.startsWith("$ ")) steps.push({ command: line.slice(2), expected: [] });
    else current?.expected.push(line);
    continued = line.endsWith("\\");
    if (continued && steps.at(-1)) steps.at(-1)!.command = steps.at(-1)!.command.slice(0, -1).trimEnd();
  }
  return steps;
}

/** `in 0.1 s` matches any time taken; everything else literally. */
export function outputPattern(expected: readonly string[]): RegExp {
  const escaped = expected.map((line) =>
    line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/in \d+\\\.\d s/g, "in \\d+\\.\\d s"),
  );
  return new RegExp(`^${escaped.map((l) => `${l}\\n`).join("")}$`);
}

/** Runs each command with bash in `cwd`, `reguser` on the PATH as the built binary `bin`. */
export async function runTranscript(
  steps: readonly TranscriptStep[],
  options: { bin: string; cwd: string; env: Record<string, string>; rewrite: (command: string) => string },
): Promise<StepRun[]> {
  const binDir = join(options.cwd, ".bin");
  mkdirSync(binDir, { recursive: true });
  writeFileSync(join(binDir, "reguser"), `#!/bin/sh\nexec "${process.execPath}" "${options.bin}" "$@"\n`);
  chmodSync(join(binDir, "reguser"), 0o755);
  const env = { ...process.env, ...options.env, PATH: `${binDir}:${process.env.PATH ?? ""}` };
  const runs: StepRun[] = [];
  for (const step of steps) {
    runs.push({ ...step, ...(await bash(options.rewrite(step.command), options.cwd, env)) });
  }
  return runs;
}

function bash(command: string, cwd: string, env: NodeJS.ProcessEnv) {
  return runChild("bash", ["-c", command], { cwd, env });
}
