// One bulk run: registerMany over the accounts, or the --admin provisioner once the server refuses; files and progress.
import {
  type BulkReport,
  DEFAULT_ADMIN_CONCURRENCY,
  type NewAccount,
  type Outcome,
  openStream,
  provisionMany,
  registerMany,
  type XmppStream,
} from "reguser";
import { type AdminPath, stopsTheRun } from "../admin/admin-path.js";
import type { BulkFlags } from "../invocation.js";
import type { Io } from "../io.js";
import type { BulkSummary } from "../results.js";
import { InvalidRowError, type Item } from "./accounts.js";
import { countLines } from "./csv-records.js";
import { CredentialsFile, ReportFile } from "./files.js";
import { createProgress, type Progress } from "./progress.js";
import type { AccountSource } from "./source.js";
import { Tally } from "./tally.js";

/** Failures listed on stdout after the run; the --report file has them all. */
const LISTED_FAILURES = 20;

type Items = Iterator<Item> | AsyncIterator<Item>;

export class BulkRun {
  readonly #inv: BulkFlags;
  readonly #io: Io;
  readonly #admin: AdminPath | undefined;
  readonly listed: Array<[string | undefined, Error]> = [];
  /** The in-band stream failed for good. */
  streamError: Error | undefined;
  /** The admin path failed in a way no further account can avoid (a refused credential…). */
  adminError: Error | undefined;
  /** The server's refusal of in-band registration, after which every account went to the admin path. */
  refused: Error | undefined;
  #report: ReportFile | undefined;
  #credentials: CredentialsFile | undefined;
  #progress: Progress | undefined;
  #stream: XmppStream | undefined;
  /**
   * Accounts accepted and not yet settled, by name, dropped at their outcome: the password for --out. A row
   * repeating an open name is refused, or the two outcomes would be mixed up.
   */
  readonly #open = new Map<string, NewAccount>();
  readonly #tally = new Tally();

  constructor(inv: BulkFlags, io: Io, admin: AdminPath | undefined) {
    this.#inv = inv;
    this.#io = io;
    this.#admin = admin;
  }

  async execute(source: AccountSource, options: Parameters<typeof openStream>[0]): Promise<BulkSummary> {
    const inv = this.#inv;
    if (inv.report !== undefined) this.#report = new ReportFile(inv.report);
    if (inv.out !== undefined) this.#credentials = new CredentialsFile(inv.out);
    const showBar = inv.progress && !inv.json && this.#io.stderr.isTTY === true;
    const total = source.total ?? (showBar && inv.csv ? await countLines(inv.csv) : 0);
    const started = performance.now();
    const stream = this.#admin?.only ? undefined : await openStream(options);
    this.#stream = stream;
    this.#progress = createProgress(this.#io.stderr, total, showBar);
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once("SIGINT", interrupt);
    const accounts = this.#accounts(iteratorOf(source.items), controller.signal);
    try {
      const report = stream
        ? await this.#inBandThenAdmin(stream, accounts, controller.signal)
        : await this.#viaAdmin(accounts, controller.signal);
      this.streamError = report.error;
      this.refused = report.refused;
      this.adminError = report.adminError;
      const t = this.#tally;
      const summary: BulkSummary = {
        ok: t.ok,
        failed: t.failed,
        byError: t.byError,
        elapsedMs: Math.round(performance.now() - started),
        aborted: controller.signal.aborted,
        pipeliningFallback: report.pipeliningFallback,
        viaAdmin: this.#admin ? t.viaAdmin : undefined,
        throttled: report.throttled !== undefined && !this.#admin ? true : undefined,
        notAttempted: report.notAttempted,
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

  /** registerMany on the stream; with --admin, the accounts go to the provisioner once the server refuses in-band. */
  async #inBandThenAdmin(stream: XmppStream, accounts: AsyncIterable<NewAccount>, signal: AbortSignal) {
    const inv = this.#inv;
    try {
      return await registerMany(stream, accounts, {
        concurrency: inv.concurrency,
        connections: inv.connections,
        signal,
        keepOutcomes: false,
        onOutcome: (outcome) => this.#settle(outcome),
        admin: this.#admin,
        // A throttle is a refusal the admin path does not meet; without one the run stops there.
        onThrottle: this.#admin ? "admin" : "stop",
        adminConcurrency: inv.concurrency ?? DEFAULT_ADMIN_CONCURRENCY,
        isAdminFatal: stopsTheRun,
      });
    } finally {
      this.#stream = undefined;
      await stream.close().catch(() => undefined);
    }
  }

  /** --admin-only: every account through the provisioner. */
  async #viaAdmin(accounts: AsyncIterable<NewAccount>, signal: AbortSignal): Promise<BulkReport> {
    if (!this.#admin) throw new Error("BulkRun: no stream and no admin path");
    return provisionMany(this.#admin, accounts, {
      concurrency: this.#inv.concurrency ?? DEFAULT_ADMIN_CONCURRENCY,
      signal,
      keepOutcomes: false,
      onOutcome: (outcome) => this.#settle(outcome),
      isFatal: stopsTheRun,
    });
  }

  /** The source's rows as accounts to send; a row that cannot be one is recorded as a failure on the way. */
  async *#accounts(items: Items, signal: AbortSignal): AsyncGenerator<NewAccount> {
    while (!signal.aborted) {
      const next = await items.next();
      if (next.done) return;
      const account = this.#accept(next.value);
      if (account) yield account;
    }
  }

  /** An account to send, or undefined for a row that cannot be one (recorded as a failure). */
  #accept(item: Item): NewAccount | undefined {
    if ("invalid" in item) {
      this.#rejectRow(item.invalid);
      return undefined;
    }
    const { username } = item.account;
    if (this.#open.has(username)) {
      this.#rejectRow(new InvalidRowError(0, username, "the same name as an earlier row still in progress"));
      return undefined;
    }
    this.#open.set(username, item.account);
    return item.account;
  }

  #rejectRow(err: InvalidRowError): void {
    this.#fail(err.username || undefined, err);
  }

  #settle(outcome: Outcome): void {
    const { username } = outcome;
    const account = this.#open.get(username);
    this.#open.delete(username);
    if (!outcome.ok) {
      this.#fail(username, outcome.error);
      return;
    }
    const viaAdmin = outcome.via === "admin";
    if (account) this.#credentials?.add(username, account.password);
    this.#report?.add({ username, ok: true, via: viaAdmin ? "admin" : undefined });
    this.#tally.succeeded(viaAdmin);
    this.#showProgress();
  }

  #fail(username: string | undefined, error: Error): void {
    if (this.listed.length < LISTED_FAILURES) this.listed.push([username, error]);
    this.#report?.add({ username: username ?? "", ok: false, error });
    this.#tally.failedWith(error);
    this.#showProgress();
  }

  #showProgress(): void {
    const t = this.#tally;
    this.#progress?.update(t.done, t.ok, t.failed);
  }

  async close(): Promise<void> {
    this.#progress?.stop();
    this.#report?.close();
    this.#credentials?.close();
    await this.#stream?.close().catch(() => undefined);
  }
}

function iteratorOf(items: AccountSource["items"]): Items {
  return Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
}
