// Many registrations on one connection (or a few), the --admin path when the server refuses; summary and reports.
import { type AdminPath, openAdminPath } from "../admin/admin-path.js";
import { passwordFor } from "../bulk/password-for.js";
import { interruptedAdvice } from "../bulk/resume-command.js";
import { BulkRun } from "../bulk/run.js";
import { csvSource, patternSource } from "../bulk/source.js";
import { streamOptions } from "../connect.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { errorLine } from "../format-human.js";
import type { Invocation } from "../invocation.js";
import type { Io } from "../io.js";
import { Output } from "../output.js";
import { PasswordSource } from "../passwords.js";

export async function runBulk(inv: Extract<Invocation, { command: "bulk" }>, io: Io): Promise<ExitCode> {
  const out = new Output(io, { json: inv.json, command: "bulk", name: "bulk" });
  const passwords = new PasswordSource(io, {
    stdin: inv.passwordStdin,
    adminStdin: inv.admin?.secretStdin,
    command: "bulk",
  });
  let admin: AdminPath | undefined;
  let run: BulkRun | undefined;
  try {
    const passwordOf = await passwordFor(inv, passwords);
    // Stdin stays open (closed at the end): the admin's credential is read only once the server refuses.
    if (inv.admin) admin = await openAdminPath(inv.admin, inv.connect, { io, passwords, command: "bulk" });
    else passwords.close();
    const source = inv.pattern ? patternSource(inv.pattern, passwordOf) : await csvSource(inv.csv ?? "", passwordOf);
    run = new BulkRun(inv, io, admin);
    const summary = await run.execute(source, await streamOptions(inv.connect, "bulk"));
    if (run.refused && admin) {
      out.result({ kind: "fallback", step: "bulk", username: undefined, error: run.refused, label: admin.label });
    }
    for (const [username, err] of out.json ? [] : run.listed) {
      // The admin path's own failure is the run's last line; its first victim need not repeat it.
      if (err !== run.adminError) io.stdout.write(`${errorLine("bulk", username, err)}\n`);
    }
    out.result({ kind: "bulk", summary });
    // The outcomes so far are in the report; the exact command that goes on from there (on stderr, --json or not).
    if (summary.aborted) io.stderr.write(interruptedAdvice(inv.argv, summary));
    const broken = run.streamError ?? run.adminError;
    if (broken) return out.end(out.failure("bulk", undefined, broken));
    if (summary.aborted) return out.end(EXIT.interrupted);
    return out.end(summary.failed > 0 ? EXIT.failed : EXIT.ok);
  } catch (err) {
    return out.end(out.failure("bulk", undefined, err));
  } finally {
    passwords.close();
    await run?.close();
    await admin?.close();
  }
}
