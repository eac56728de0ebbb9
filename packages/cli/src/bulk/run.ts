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
import type { BulkFlags, ConnectFlags } from "../invocation.js";
import type { Io } from "../io.js";
import type { BulkSummary } from "../results.js";
import { describeTarget } from "../target.js";
import { InvalidRowError, type Item } from "./accounts.js";
import { countLines } from "./csv-records.js";
import { CredentialsFile, ReportFile } from "./files.js";
import { onInterrupt } from "./interrupt.js";
import { createProgress, type Progress } from "./progress.js";
import { reportHeader } from "./report-format.js";
import { type PreviousRun, type RunPlace, readPreviousRun } from "./resume.js";
import { interruptedAdvice } from "./resume-command.js";
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
  /** --resume: what the report says was done before. */
  #previous: PreviousRun | undefined;
  #started = performance.now();
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
    const place = placeOf(inv.connect);
    const warn = (message: string) => this.#io.stderr.write(`reguser: warning: ${message}\n`);
    // Read (and checked against this domain) before anything is written or sent.
    const previous = inv.resume === undefined ? undefined : await readPreviousRun(inv.resume, place, warn);
    this.#previous = previous;
    if (inv.report !== undefined) {
      const header = reportHeader(place.domain, place.target, new Date());
      this.#report = new ReportFile(inv.report, header, previous?.append);
    }
    if (inv.out !== undefined) this.#credentials = new CredentialsFile(inv.out, previous !== undefined);
    const showBar = inv.progress && !inv.json && this.#io.stderr.isTTY === true;
    const total = source.total ?? (showBar && inv.csv ? await countLines(inv.csv) : undefined);
    const toSend = total === undefined ? undefined : Math.max(0, total - (previous?.done.size ?? 0));
    this.#started = performance.now();
    const stream = this.#admin?.only ? undefined : await openStream(options);
    this.#stream = stream;
    this.#progress = createProgress(this.#io.stderr, toSend, showBar);
    const controller = new AbortController();
    const stopListening = this.#onCtrlC(controller, showBar);
    const accounts = this.#accounts(iteratorOf(source.items), controller.signal);
    try {
      const report = stream
        ? await this.#inBandThenAdmin(stream, accounts, controller.signal)
        : await this.#viaAdmin(accounts, controller.signal);
      this.streamError = report.error;
      this.refused = report.refused;
      this.adminError = report.adminError;
      const summary = this.#summary(report, controller.signal.aborted);
      this.#report?.close(summary);
      this.#report = undefined;
      return summary;
    } finally {
      stopListening();
      this.#progress.stop();
    }
  }

  /** Ctrl-C: stop sending and say what is still in flight; again: quit at once, with the command that resumes. */
  #onCtrlC(controller: AbortController, showBar: boolean): () => void {
    return onInterrupt(
      () => {
        controller.abort();
        this.#progress?.stopping();
        this.#showProgress();
        if (showBar) return;
        this.#io.stderr.write(
          `reguser: interrupted: sending stopped; waiting for ${this.#open.size} requests in flight ` +
            "(Ctrl-C again quits at once)\n",
        );
      },
      () => {
        this.#progress?.stop();
        this.#io.stderr.write(interruptedAdvice(this.#inv.argv, this.#summary({}, true)));
      },
    );
  }

  #summary(report: Partial<BulkReport>, aborted: boolean): BulkSummary {
    const t = this.#tally;
    return {
      ok: t.ok,
      failed: t.failed,
      byError: t.byError,
      elapsedMs: Math.round(performance.now() - this.#started),
      aborted,
      pipeliningFallback: report.pipeliningFallback ?? false,
      renewedStreams: report.renewedStreams || undefined,
      viaAdmin: this.#admin ? t.viaAdmin : undefined,
      throttled: report.throttled !== undefined && !this.#admin ? true : undefined,
      notAttempted: report.notAttempted,
      skipped: this.#previous ? t.skipped : undefined,
      report: this.#report?.path,
      out: this.#credentials?.path,
    };
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
        // Outcomes come through onOutcome (with the rows refused here); what only progress says is a throttle wait.
        onProgress: (progress) => {
          if (progress.waitingMs !== undefined) this.#progress?.waiting(progress.waitingMs);
        },
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

  /**
   * The source's rows as accounts to send; a row that cannot be one is recorded as a failure on the way. Ctrl-C ends
   * it at once, even while it waits for a slow source.
   */
  async *#accounts(items: Items, signal: AbortSignal): AsyncGenerator<NewAccount> {
    const aborted = new Promise<IteratorReturnResult<undefined>>((resolve) => {
      signal.addEventListener("abort", () => resolve({ done: true, value: undefined }), { once: true });
    });
    while (!signal.aborted) {
      const next = await Promise.race([items.next(), aborted]);
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
    if (this.#previous?.done.has(username)) {
      this.#tally.skipped += 1;
      this.#showProgress();
      return undefined;
    }
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
    this.#progress?.update({
      ok: t.ok,
      failed: t.failed,
      byError: t.byError,
      skipped: t.skipped,
      inFlight: this.#open.size,
    });
  }

  async close(): Promise<void> {
    this.#progress?.stop();
    this.#report?.close();
    this.#credentials?.close();
    await this.#stream?.close().catch(() => undefined);
  }
}

/** The domain the accounts are made in (--domain, else the host), and host[:port] as given. */
function placeOf(connect: ConnectFlags): RunPlace {
  return { domain: (connect.domain ?? connect.target.host).toLowerCase(), target: describeTarget(connect.target) };
}

function iteratorOf(items: AccountSource["items"]): Items {
  return Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
}
