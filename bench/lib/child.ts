// Run one contender in its own process and read the measurement it prints (its last stdout line).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Job, Measurement } from "../contenders/measure.js";
import type { Contender } from "./contenders.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export type RunResult = { ok: true; measurement: Measurement } | { ok: false; error: string };

/** Extra time the child gets past its own deadline before it is killed. */
const KILL_GRACE_MS = 15_000;

function command(contender: Contender, python: string | undefined): [string, string[]] {
  if (contender.runtime === "python") {
    if (!python) throw new Error("no python3 with slixmpp");
    return [python, [contender.file]];
  }
  // The packages as users run them: their built dist/, not the TypeScript sources through tsx's transform.
  return [process.execPath, ["--import", "tsx", contender.file]];
}

export function runChild(
  contender: Contender,
  job: Job,
  python: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunResult> {
  const [cmd, args] = command(contender, python);
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args, JSON.stringify(job)], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const killer = setTimeout(() => child.kill("SIGKILL"), job.deadlineMs + KILL_GRACE_MS);
    child.on("error", (err) => (clearTimeout(killer), resolve({ ok: false, error: err.message })));
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        const measurement = JSON.parse(last) as Measurement;
        if (code === 0 && typeof measurement.seconds === "number") return resolve({ ok: true, measurement });
      } catch {
        // not JSON: the child failed before reporting
      }
      const why = signal ? `killed (${signal})` : `exit ${code}`;
      const tail = stderr.trim().split("\n").slice(-3).join(" | ");
      resolve({ ok: false, error: `${why}${tail ? `: ${tail}` : ""}` });
    });
  });
}
