// Throwaway users registered in batches ahead of need on one stream kept open, handed out one by one, and removed
// together in bulk at the end: a test pays a share of a batch instead of a registration and a removal of its own.
import {
  ConnectionError,
  InvalidOptionError,
  isRegistrationClosed,
  type NewAccount,
  openStream,
  registerMany,
  StreamError,
  streamDomain,
  TimeoutError,
  XmppError,
  type XmppStream,
} from "reguser";
import { AccountsLeftError } from "./accounts-left-error.js";
import { strongPassword, uniqueUsername } from "./credentials.js";
import { removeAccounts, type SuppliedAccount } from "./supply-removal.js";
import { registrationClosed, removeInBand, type ThrowawayOptions, type ThrowawayUser } from "./throwaway-user.js";
import { failureSummary } from "./user-pool.js";

export interface SupplyOptions extends ThrowawayOptions {
  /** The largest batch registered at once. The first batch is 4 accounts (fewer if this is smaller), each next one twice the last. Default 32. */
  batchSize?: number;
  /**
   * Registrations in flight while a batch registers. Default 16: with more, Prosody holds its replies back until the
   * client's delayed ACK (Nagle's algorithm meets delayed ACKs on 127.0.0.1), 40 ms a batch.
   */
  concurrency?: number;
  /** Accounts `removeAll()` removes at once, each logging in on its own stream (`removeMany`'s `concurrency`). Default 32. */
  removeConcurrency?: number;
}

/** What `removeAll()` did. */
export interface RemovalSummary {
  /** Accounts removed now. */
  removed: number;
  /** Accounts already deleted without `user.remove()` (or never created: their registration went unanswered). */
  alreadyGone: number;
}

export interface UserSupply {
  /** A registered account: the next of the current batch, or of a new one registered now. */
  take(): Promise<ThrowawayUser>;
  /** Accounts registered and not handed out yet. */
  readonly stock: number;
  /** Accounts created and not removed yet, handed out or not. */
  readonly outstanding: number;
  /**
   * Remove every account created so far, handed out or not, except those removed with `user.remove()`; in bulk.
   * Rejects with `AccountsLeftError` (each account left, and why) when any could not be removed. The supply stays
   * usable: a later `take()` registers a new batch.
   */
  removeAll(): Promise<RemovalSummary>;
  /** `removeAll()`, then close the stream; `take()` rejects from then on. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 32;
const DEFAULT_CONCURRENCY = 16;
const DEFAULT_REMOVE_CONCURRENCY = 32;
const FIRST_BATCH = 4;

type Entry = SuppliedAccount & {
  state: "stock" | "out" | "removed";
  /** A `user.remove()` under way. */
  removal?: Promise<void> | undefined;
};

/**
 * A supply of throwaway users for a test run: nothing happens until the first `take()`, which registers a batch with
 * `registerMany` on one stream, kept open for the supply's life (opened again if lost); every later batch is twice
 * the last, up to `batchSize`. `options` may be a function, called at the first `take()` (for a server started in a
 * `before` hook). Accounts the server refuses in-band go through `admin` when there is one.
 */
export function createUserSupply(options: SupplyOptions | (() => SupplyOptions)): UserSupply {
  return new Supply(options);
}

class Supply implements UserSupply {
  readonly #given: SupplyOptions | (() => SupplyOptions);
  #options: SupplyOptions | undefined;
  readonly #stock: Entry[] = [];
  readonly #live = new Set<Entry>();
  #nextBatch = 0;
  #filling: Promise<void> | undefined;
  #removing: Promise<unknown> = Promise.resolve();
  #stream: Promise<XmppStream> | undefined;
  #closed = false;

  constructor(options: SupplyOptions | (() => SupplyOptions)) {
    this.#given = options;
    if (typeof options !== "function") this.#check(options);
  }

  get stock(): number {
    return this.#stock.length;
  }

  get outstanding(): number {
    return this.#live.size;
  }

  async take(): Promise<ThrowawayUser> {
    for (;;) {
      if (this.#closed) throw new XmppError("This user supply is closed: take() after close()");
      const entry = this.#stock.shift();
      if (entry) {
        entry.state = "out";
        return this.#handle(entry);
      }
      this.#filling ??= this.#registerBatch().finally(() => {
        this.#filling = undefined;
      });
      await this.#filling;
    }
  }

  removeAll(): Promise<RemovalSummary> {
    const run = this.#removing.then(() => this.#removeAll());
    this.#removing = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    this.#closed = true;
    try {
      await this.removeAll();
    } finally {
      const stream = await this.#stream?.catch(() => undefined);
      this.#stream = undefined;
      await stream?.close();
    }
  }

  #resolved(): SupplyOptions {
    if (!this.#options) {
      this.#options = typeof this.#given === "function" ? this.#given() : this.#given;
      this.#check(this.#options);
    }
    return this.#options;
  }

  #check(options: SupplyOptions): void {
    for (const name of ["batchSize", "concurrency", "removeConcurrency"] as const) {
      const value = options[name];
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new InvalidOptionError("createUserSupply", name, String(value), "a positive integer");
      }
    }
  }

  /** The stream, opened again when the server has closed it (an idle timeout, a restart). */
  #connection(): Promise<XmppStream> {
    const open = () => openStream(this.#resolved());
    this.#stream = this.#stream ? this.#stream.then((s) => (s.closed ? open() : s), open) : open();
    return this.#stream;
  }

  async #registerBatch(): Promise<void> {
    const options = this.#resolved();
    const largest = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const size = this.#nextBatch || Math.min(FIRST_BATCH, largest);
    let batch = await this.#register(size);
    // A stream lost before anything came back (the server closed an idle one): once more, on a new stream.
    if (batch.added === 0 && batch.lost) batch = await this.#register(size);
    if (batch.added === 0) throw batch.error;
    this.#nextBatch = Math.min(size * 2, largest);
  }

  /** Register `size` new accounts: those created go to the stock, those left unanswered are kept for removal. */
  async #register(size: number): Promise<{ added: number; lost: boolean; error: Error }> {
    const options = this.#resolved();
    const domain = streamDomain(options);
    const accounts: Array<NewAccount & { username: string; password: string }> = Array.from({ length: size }, () => ({
      username: uniqueUsername(options.prefix),
      password: strongPassword(),
    }));
    const report = await registerMany(await this.#connection(), accounts, {
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      admin: options.admin,
      onThrottle: options.admin ? "admin" : "stop",
    });
    const outcomes = new Map(report.outcomes.map((o) => [o.username, o]));
    let added = 0;
    for (const { username, password } of accounts) {
      const outcome = outcomes.get(username);
      const via = outcome?.via === "admin" ? "admin" : "in-band";
      const entry: Entry = { username, password, jid: `${username}@${domain}`, via, state: "stock" };
      if (outcome?.ok) {
        this.#stock.push(entry);
        this.#live.add(entry);
        added += 1;
      } else if (outcome ? unanswered(outcome.error) : report.error !== undefined) {
        this.#live.add({ ...entry, state: "out", unconfirmed: true });
      }
    }
    const first = report.outcomes.find((o) => !o.ok)?.error;
    const why =
      report.error && report.failed === 0
        ? `the stream failed (${report.error.message})`
        : failureSummary(report, size);
    const error =
      !options.admin && first && isRegistrationClosed(first)
        ? registrationClosed(domain, first)
        : new XmppError(`Could not register throwaway users on ${domain}: ${why}`, {
            cause: report.throttled ?? report.error ?? first,
          });
    return { added, lost: report.error !== undefined, error };
  }

  #handle(entry: Entry): ThrowawayUser {
    const options = this.#resolved();
    return {
      jid: entry.jid,
      username: entry.username,
      password: entry.password,
      remove: () => {
        if (entry.state === "removed") return Promise.resolve();
        entry.removal ??= (
          entry.via === "admin" && options.admin
            ? options.admin.removeUser(entry.username)
            : removeInBand(options, entry)
        ).then(
          () => {
            entry.state = "removed";
            this.#live.delete(entry);
          },
          (err: unknown) => {
            entry.removal = undefined;
            throw err;
          },
        );
        return entry.removal;
      },
    };
  }

  async #removeAll(): Promise<RemovalSummary> {
    await this.#filling?.catch(() => {});
    await Promise.allSettled([...this.#live].map((e) => e.removal));
    const entries = [...this.#live];
    this.#stock.length = 0;
    this.#nextBatch = 0;
    if (entries.length === 0) return { removed: 0, alreadyGone: 0 };
    const options = this.#resolved();
    const result = await removeAccounts(entries, {
      options,
      concurrency: options.removeConcurrency ?? DEFAULT_REMOVE_CONCURRENCY,
      stream: () => this.#connection(),
    });
    // Each account is tried once: one left is reported now, not again by a later removeAll().
    for (const entry of entries) {
      entry.state = "removed";
      this.#live.delete(entry);
    }
    if (result.left.length > 0) throw new AccountsLeftError(result.left, streamDomain(options));
    return { removed: result.removed.length, alreadyGone: result.gone.length };
  }
}

/** A registration whose answer never came: it may or may not have been applied. */
function unanswered(error: Error): boolean {
  return error instanceof TimeoutError || error instanceof ConnectionError || error instanceof StreamError;
}
