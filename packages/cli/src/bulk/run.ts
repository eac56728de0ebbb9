// One bulk run: registerMany over the accounts, or the --admin provisioner once the server refuses; files and progress.
import {
  isRegistrationClosed,
  type NewAccount,
  type Outcome,
  openStream,
  registerMany,
  type XmppStream,
} from "reguser";
import type { AdminPath } from "../admin/admin-path.js";
import type { BulkFlags } from "../invocation.js";
import type { Io } from "../io.js";
import type { BulkSummary } from "../results.js";
import { InvalidRowError, type Item } from "./accounts.js";
import { ADMIN_CONCURRENCY, AdminQueue, stopsTheRun } from "./admin-queue.js";
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
  readonly #queue: AdminQueue | undefined;
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
   * Accounts accepted and not yet settled, by name, dropped at their outcome: the password for --out, the account
   * for the admin path should the server refuse it in-band. A row repeating an open name is refused, or the two
   * outcomes would be mixed up.
   */
  readonly #open = new Map<string, NewAccount>();
  /** Accounts the server refused in-band, for the admin path once registerMany is done (at most its window). */
  readonly #refusedAccounts: NewAccount[] = [];
  readonly #tally = new Tally();

  constructor(inv: BulkFlags, io: Io, admin: AdminPath | undefined) {
    this.#inv = inv;
    this.#io = io;
    this.#admin = admin;
    const limit = inv.concurrency ?? ADMIN_CONCURRENCY;
    this.#queue = admin && new AdminQueue(admin, limit, (username, error) => this.#settleViaAdmin(username, error));
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
    const items = iteratorOf(source.items);
    try {
      let pipeliningFallback = false;
      if (stream) {
        const report = await registerMany(stream, this.#inBand(items, controller.signal), {
          concurrency: inv.concurrency,
          connections: inv.connections,
          signal: controller.signal,
          keepOutcomes: false,
          onOutcome: (outcome) => this.#settleInBand(outcome),
        });
        this.streamError = report.error;
        pipeliningFallback = report.pipeliningFallback;
        // Done with in-band: the admin path (if the server refused) has no use for it.
        this.#stream = undefined;
        await stream.close().catch(() => undefined);
      }
      if (this.#admin?.only || this.refused) await this.#viaAdmin(items, controller.signal);
      await this.#queue?.drain();
      const t = this.#tally;
      const summary: BulkSummary = {
        ok: t.ok,
        failed: t.failed,
        byError: t.byError,
        elapsedMs: Math.round(performance.now() - started),
        aborted: controller.signal.aborted,
        pipeliningFallback,
        viaAdmin: this.#admin ? t.viaAdmin : undefined,
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

  /** Accounts for registerMany, until the source ends, the run stops, or the server refuses in-band registration. */
  async *#inBand(items: Items, signal: AbortSignal): AsyncGenerator<NewAccount> {
    while (!signal.aborted && this.refused === undefined) {
      const next = await items.next();
      if (next.done) return;
      const account = this.#accept(next.value);
      if (account) yield account;
    }
  }

  /** The refused accounts, then the rest of the source (all of it with --admin-only), through the provisioner. */
  async #viaAdmin(items: Items, signal: AbortSignal): Promise<void> {
    const going = () => !signal.aborted && this.adminError === undefined;
    for (const account of this.#refusedAccounts.splice(0)) {
      if (!going()) return;
      await this.#queue?.push(account);
    }
    while (going() && this.#queue) {
      const next = await items.next();
      if (next.done) return;
      const account = this.#accept(next.value);
      if (account) await this.#queue.push(account);
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

  #settleInBand(outcome: Outcome): void {
    const account = this.#open.get(outcome.username);
    if (!outcome.ok && account && this.#queue && isRegistrationClosed(outcome.error)) {
      // Registration as such is off: this account, and every one after it, goes to the admin path.
      this.refused ??= outcome.error;
      this.#refusedAccounts.push(account);
      return;
    }
    this.#settle(outcome.username, outcome.ok ? undefined : outcome.error, false);
  }

  #settleViaAdmin(username: string, error: Error | undefined): void {
    if (error !== undefined && stopsTheRun(error)) this.adminError ??= error;
    this.#settle(username, error, true);
  }

  #settle(username: string, error: Error | undefined, viaAdmin: boolean): void {
    const account = this.#open.get(username);
    this.#open.delete(username);
    if (error !== undefined) {
      this.#fail(username, error);
      return;
    }
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
