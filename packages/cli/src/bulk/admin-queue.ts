// Accounts a bulk run hands to the --admin provisioner, a bounded number at a time; failures that end the run.
import { OpenfireConfigurationError, UserServiceDisabledError } from "@reguser/admin";
import { FeatureNotImplementedError, type NewAccount, NotAuthorizedError } from "reguser";
import type { AdminPath } from "../admin/admin-path.js";
import { newUserOf } from "../admin/new-user.js";
import { isConnectionFailure } from "../exit-codes.js";
import { InterruptedError, UsageError } from "../usage-error.js";

/** Provisioner calls in flight when --concurrency is not given (an admin path is slower than a pipelined stream). */
export const ADMIN_CONCURRENCY = 16;

export class AdminQueue {
  readonly #admin: AdminPath;
  readonly #limit: number;
  readonly #settle: (username: string, error: Error | undefined) => void;
  readonly #running = new Set<Promise<void>>();
  /** One account goes alone until one succeeds: a refused credential then costs one failure, not `limit`. */
  #proven = false;

  /** `settle` gets every account's outcome: no error, or the provisioner's (ConflictError…). */
  constructor(admin: AdminPath, limit: number, settle: (username: string, error: Error | undefined) => void) {
    this.#admin = admin;
    this.#limit = limit;
    this.#settle = settle;
  }

  /** Starts creating the account, then waits until fewer than the limit are in flight. */
  async push(account: NewAccount): Promise<void> {
    const task = this.#admin.createUser(newUserOf(account)).then(
      () => {
        this.#proven = true;
        this.#settle(account.username, undefined);
      },
      (err: unknown) => this.#settle(account.username, err instanceof Error ? err : new Error(String(err))),
    );
    const tracked = task.finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
    while (this.#running.size >= (this.#proven ? this.#limit : 1)) await Promise.race(this.#running);
  }

  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.race(this.#running);
  }
}

/**
 * The admin path itself is unusable (no credential to be had, wrong credential, not an admin, unreachable,
 * misconfigured): stop sending.
 */
export function stopsTheRun(err: Error): boolean {
  return (
    err instanceof UsageError ||
    err instanceof InterruptedError ||
    err instanceof NotAuthorizedError ||
    err instanceof FeatureNotImplementedError ||
    err instanceof OpenfireConfigurationError ||
    err instanceof UserServiceDisabledError ||
    isConnectionFailure(err)
  );
}
