// Many registrations on one connection (or a few): registerMany over a streamed source, summary and reports.
import { type NewAccount, type Outcome, openStream, registerMany, type XmppStream } from "reguser";
import type { InvalidRowError, Item } from "../bulk/accounts.js";
import { countLines } from "../bulk/csv-records.js";
import { CredentialsFile, ReportFile } from "../bulk/files.js";
import { passwordFor } from "../bulk/password-for.js";
import { createProgress, type Progress } from "../bulk/progress.js";
import { type AccountSource, csvSource, patternSource } from "../bulk/source.js";
import { streamOptions } from "../connect.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { errorLine } from "../format-human.js";
import type { BulkFlags, Invocation } from "../invocation.js";
import type { Io } from "../io.js";
import { Output } from "../output.js";
import { PasswordSource } from "../passwords.js";
import type { BulkSummary } from "../results.js";

/** Failures listed on stdout after the run; the --report file has them all. */
const LISTED_FAILURES = 20;

export async function runBulk(inv: Extract<Invocation, { command: "bulk" }>, io: Io): Promise<ExitCode> {
  const out = new Output(io, { json: inv.json, command: "bulk", name: "bulk" });
  const passwords = new PasswordSource(io, { stdin: inv.passwordStdin, command: "bulk" });
  const run = new BulkRun(inv, io);
  try {
    const passwordOf = await passwordFor(inv, passwords);
    passwords.close();
    const source = inv.pattern ? patternSource(inv.pattern, passwordOf) : await csvSource(inv.csv ?? "", passwordOf);
    const summary = await run.execute(source, await streamOptions(inv.connect, "bulk"));
    if (!out.json) for (const [username, err] of run.listed) io.stdout.write(`${errorLine("bulk", username, err)}\n`);
    out.result({ kind: "bulk", summary });
    if (run.streamError) return out.end(out.failure("bulk", undefined, run.streamError));
    if (summary.aborted) return out.end(EXIT.interrupted);
    return out.end(summary.failed > 0 ? EXIT.failed : EXIT.ok);
  } catch (err) {
    return out.end(out.failure("bulk", undefined, err));
  } finally {
    passwords.close();
    await run.close();
  }
}

class BulkRun {
  readonly #inv: BulkFlags;
  readonly #io: Io;
  readonly listed: Array<[string | undefined, Error]> = [];
  streamError: Error | undefined;
  #report: ReportFile | undefined;
  #credentials: CredentialsFile | undefined;
  #progress: Progress | undefined;
  #stream: XmppStream | undefined;
  /** Passwords of accounts in flight, kept only for --out and dropped at their outcome. */
  readonly #pending = new Map<string, string>();
  #invalid = 0;

  constructor(inv: BulkFlags, io: Io) {
    this.#inv = inv;
    this.#io = io;
  }

  async execute(source: AccountSource, options: Parameters<typeof openStream>[0]): Promise<BulkSummary> {
    const inv = this.#inv;
    if (inv.report !== undefined) this.#report = new ReportFile(inv.report);
    if (inv.out !== undefined) this.#credentials = new CredentialsFile(inv.out);
    const showBar = inv.progress && !inv.json && this.#io.stderr.isTTY === true;
    const total = source.total ?? (showBar && inv.csv ? await countLines(inv.csv) : 0);
    this.#stream = await openStream(options);
    this.#progress = createProgress(this.#io.stderr, total, showBar);
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once("SIGINT", interrupt);
    try {
      const report = await registerMany(this.#stream, this.#accounts(source.items), {
        concurrency: inv.concurrency,
        connections: inv.connections,
        signal: controller.signal,
        keepOutcomes: false,
        onOutcome: (outcome) => this.#settle(outcome),
        onProgress: (p) => this.#progress?.update(p.done + this.#invalid, p.ok, p.failed + this.#invalid),
      });
      this.streamError = report.error;
      const byError = { ...report.byError };
      if (this.#invalid > 0) byError.InvalidRowError = (byError.InvalidRowError ?? 0) + this.#invalid;
      const summary: BulkSummary = {
        ok: report.ok,
        failed: report.failed + this.#invalid,
        byError,
        elapsedMs: report.elapsedMs,
        aborted: report.aborted,
        pipeliningFallback: report.pipeliningFallback,
        report: this.#report?.path,
        out: this.#credentials?.path,
      };
      this.#report?.close(summary);
      this.#report = undefined;
      return summary;
    } finally {
      process.off("SIGINT", interrupt);
      this.#progress.stop();
    }
  }

  async *#accounts(items: AsyncIterable<Item> | Iterable<Item>): AsyncGenerator<NewAccount> {
    for await (const item of items) {
      if ("invalid" in item) {
        this.#rejectRow(item.invalid);
        continue;
      }
      if (this.#credentials) this.#pending.set(item.account.username, item.account.password);
      yield item.account;
    }
  }

  #rejectRow(err: InvalidRowError): void {
    this.#invalid += 1;
    this.#record(err.username || undefined, err);
  }

  #settle(outcome: Outcome): void {
    const password = this.#pending.get(outcome.username);
    this.#pending.delete(outcome.username);
    if (outcome.ok) {
      if (password !== undefined) this.#credentials?.add(outcome.username, password);
      this.#report?.add({ username: outcome.username, ok: true });
    } else {
      this.#record(outcome.username, outcome.error);
    }
  }

  #record(username: string | undefined, error: Error): void {
    if (this.listed.length < LISTED_FAILURES) this.listed.push([username, error]);
    this.#report?.add({ username: username ?? "", ok: false, error });
  }

  async close(): Promise<void> {
    this.#progress?.stop();
    this.#report?.close();
    this.#credentials?.close();
    await this.#stream?.close().catch(() => undefined);
  }
}
