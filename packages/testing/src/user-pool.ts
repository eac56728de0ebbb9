// Many throwaway users registered up front in bulk, handed out one by one, removed together.
import { type BulkReport, openStream, registerMany, removeMany } from "reguser";
import { strongPassword, uniqueUsername } from "./credentials.js";
import { type ThrowawayOptions, type ThrowawayUser, throwawayUser } from "./throwaway-user.js";

export interface UserPool {
  /** Accounts not handed out yet. */
  readonly remaining: number;
  /** The next registered account; throws when the pool is used up. */
  take(): ThrowawayUser;
  /** Removes every account of the pool, handed out or not. */
  removeAll(): Promise<BulkReport>;
}

export interface PoolOptions extends ThrowawayOptions {
  /** How many accounts to register. */
  size: number;
  /** Requests in flight while registering. Default 64. */
  concurrency?: number;
}

/**
 * Register `size` fresh accounts at once with `registerMany` on one stream, to hand out with `take()`; if any fails,
 * the ones created are removed and the promise rejects. `removeAll()` removes every account of the pool.
 */
export async function createUserPool(options: PoolOptions): Promise<UserPool> {
  const domain = options.domain ?? options.host;
  const accounts = Array.from({ length: options.size }, () => ({
    username: uniqueUsername(options.prefix),
    password: strongPassword(),
  }));
  const stream = await openStream(options);
  try {
    const report = await registerMany(stream, accounts, { concurrency: options.concurrency });
    if (report.failed > 0) {
      const why = Object.entries(report.byError)
        .map(([name, n]) => `${name} ${n}`)
        .join(", ");
      // Outcomes come in completion order: match them by name, and take back what was created.
      const created = new Set(report.outcomes.filter((o) => o.ok).map((o) => o.username));
      await removeMany(
        options,
        accounts.filter((a) => created.has(a.username)),
      );
      throw new Error(`Could not register the pool: ${report.failed} of ${options.size} failed (${why})`);
    }
  } finally {
    await stream.close();
  }
  let next = 0;
  return {
    get remaining() {
      return accounts.length - next;
    },
    take() {
      const account = accounts[next];
      if (!account) throw new Error(`The pool of ${accounts.length} users is used up`);
      next += 1;
      return throwawayUser(options, { ...account, jid: `${account.username}@${domain}` }, "in-band");
    },
    removeAll: () => removeMany(options, accounts),
  };
}
