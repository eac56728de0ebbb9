// `reguser doctor host[:port]`: check by check, what registration meets on the server and what to change.

import { streamOptions } from "../connect.js";
import { type Diagnosis, healthy } from "../doctor/check.js";
import { diagnose } from "../doctor/diagnose.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { Invocation } from "../invocation.js";
import type { Io } from "../io.js";
import { terminalSafe } from "../terminal-safe.js";

const MARK = { ok: "ok  ", warn: "warn", block: "FAIL" } as const;

/** Exit 0 when nothing blocks registration, 1 when something does (a check says what to change). */
export async function runDoctor(inv: Extract<Invocation, { command: "doctor" }>, io: Io): Promise<ExitCode> {
  const diagnosis = await diagnose(await streamOptions(inv.connect, "doctor"), { probe: inv.probe });
  const ok = healthy(diagnosis);
  io.stdout.write(inv.json ? `${JSON.stringify({ command: "doctor", ok, ...diagnosis })}\n` : humanReport(diagnosis));
  return ok ? EXIT.ok : EXIT.failed;
}

function humanReport(diagnosis: Diagnosis): string {
  const lines = [`[Doctor] server: ${diagnosis.software?.label ?? "not said (no XEP-0092 or disco identity)"}`];
  for (const check of diagnosis.checks) {
    lines.push(`[Doctor] ${MARK[check.status]} ${check.name}: ${check.saw}`);
    if (check.change) lines.push(`[Doctor]      change: ${check.change}`);
  }
  lines.push(
    `[Doctor] ${healthy(diagnosis) ? "nothing blocks registration" : "registration is blocked: see FAIL above"}`,
  );
  return `${lines.map(terminalSafe).join("\n")}\n`;
}
