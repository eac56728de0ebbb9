// Many throwaway users registered up front in bulk, handed out one by one, removed together.
import { type BulkReport, openStream, registerMany, removeMany, streamDomain } from "reguser";
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
 * the ones created are removed and the promise rejects. With `admin`, accounts the server refuses in-band (registration
 * off, or its registration throttle) are created through it; without, a throttle stops the run and the error names
 * the server's setting. `removeAll()` removes every account of the pool, each the way it was made.
 */
export async function createUserPool(options: PoolOptions): Promise<UserPool> {
  const domain = streamDomain(options);
  const accounts = Array.from({ length: options.size }, () => ({
    username: uniqueUsername(options.prefix),
    password: strongPassword(),
  }));
  const viaAdmin = new Set<string>();
  const stream = await openStream(options);
  try {
    const report = await registerMany(stream, accounts, {
      concurrency: options.concurrency,
      admin: options.admin,
      onThrottle: options.admin ? "admin" : "stop",
    });
    for (const outcome of report.outcomes) if (outcome.ok && outcome.via === "admin") viaAdmin.add(outcome.username);
    if (report.failed > 0 || (report.notAttempted ?? 0) > 0) {
      // Outcomes come in completion order: match them by name, and take back what was created.
      const created = new Set(report.outcomes.filter((o) => o.ok).map((o) => o.username));
      await removeAccounts(
        options,
        accounts.filter((a) => created.has(a.username)),
        viaAdmin,
      );
      throw new Error(`Could not register the pool: ${failureSummary(report, options.size)}`, {
        cause: report.throttled,
      });
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
      const via = viaAdmin.has(account.username) ? "admin" : "in-band";
      return throwawayUser(options, { ...account, jid: `${account.username}@${domain}` }, via);
    },
    removeAll: () => removeAccounts(options, accounts, viaAdmin),
  };
}

/** What went wrong, with the server's throttle message when it was one (it names the setting to change). */
export function failureSummary(report: BulkReport, size: number): string {
  const why = Object.entries(report.byError)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  const skipped = report.notAttempted ? `, ${report.notAttempted} not attempted` : "";
  const throttle = report.throttled ? `: ${report.throttled.message}` : "";
  return `${report.failed} of ${size} failed (${why})${skipped}${throttle}`;
}

/** Remove `accounts`: those made through `admin` with it, the others by logging in as each. */
async function removeAccounts(
  options: PoolOptions,
  accounts: Array<{ username: string; password: string }>,
  viaAdmin: ReadonlySet<string>,
): Promise<BulkReport> {
  const report = await removeMany(
    options,
    accounts.filter((a) => !viaAdmin.has(a.username)),
  );
  for (const { username } of accounts.filter((a) => viaAdmin.has(a.username))) {
    const outcome = await options.admin?.removeUser(username).then(
      () => ({ username, ok: true as const, via: "admin" as const }),
      (error: Error) => ({ username, ok: false as const, error, via: "admin" as const }),
    );
    if (!outcome) continue;
    if (outcome.ok) report.ok += 1;
    else {
      report.failed += 1;
      report.byError[outcome.error.name] = (report.byError[outcome.error.name] ?? 0) + 1;
    }
    report.outcomes.push(outcome);
  }
  return report;
}
