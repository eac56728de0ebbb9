// Remove many accounts: each one logs in on its own stream and removes itself (the server ends that stream), or,
// with `admin`, an admin provisioner removes them (remove-via-admin.ts).
import { authenticate, type Credentials } from "@reguser/auth";
import { InvalidOptionError, NotAuthorizedError, requireTextOptions } from "@reguser/errors";
import { removeAccount } from "@reguser/register";
import { type OpenStreamOptions, openStream, streamTarget } from "@reguser/stream";
import { isStreamLost, retry } from "@reguser/stream/internal";
import type { BulkOptions } from "./register-many.js";
import {
  type AdminRemover,
  DEFAULT_ADMIN_BATCH_SIZE,
  type RemovableAccount,
  runRemovalLane,
} from "./remove-via-admin.js";
import { type BulkReport, type Outcome, ReportBuilder } from "./report.js";
import { type Accounts, iteratorOf } from "./source.js";
import { STREAM_LOST_RETRIES } from "./stream-lost.js";

export type RemoveManyOptions = Omit<BulkOptions, "connections"> & {
  /**
   * Remove the accounts through this admin path instead of logging in as each: `admin.removeUsers` batches where it
   * has them (`xep0133Provisioner`), else `admin.removeUser`, `concurrency` at once. Outcomes are `via: "admin"`;
   * passwords are not needed, and `open` and `timeout` are not used (the provisioner has its own connection).
   */
  admin?: AdminRemover | undefined;
  /** Usernames per `admin.removeUsers` call. Default `DEFAULT_ADMIN_BATCH_SIZE` (500). */
  adminBatchSize?: number | undefined;
};

/**
 * Remove every account of `accounts` through `options.admin` (see `RemoveManyOptions.admin`): an account is a
 * username or `{ username }`. A batch the admin path fails as a whole, or a failure no later account can avoid,
 * ends the run (`report.adminError`); accounts not reached have no outcome. An `adminBatchSize` that is not a whole
 * number ≥ 1 throws `InvalidOptionError`.
 */
export function removeMany(
  open: OpenStreamOptions,
  accounts: Accounts<RemovableAccount>,
  options: RemoveManyOptions & { admin: AdminRemover },
): Promise<BulkReport>;
/**
 * Remove every account of `accounts`, each logging in on its own stream; per-account outcomes in the report.
 * `concurrency` is the number of accounts being removed at once. Default 16. A missing `host` throws
 * `InvalidOptionError` before anything is sent; an account without username or password fails on its own.
 */
export function removeMany(
  open: OpenStreamOptions,
  accounts: Accounts<Credentials>,
  options?: RemoveManyOptions,
): Promise<BulkReport>;
export async function removeMany(
  open: OpenStreamOptions,
  accounts: Accounts<RemovableAccount>,
  options: RemoveManyOptions = {},
): Promise<BulkReport> {
  const report = new ReportBuilder(options);
  const concurrency = options.concurrency ?? 16;
  if (options.admin) {
    const batchSize = options.adminBatchSize ?? DEFAULT_ADMIN_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new InvalidOptionError("removeMany", "adminBatchSize", String(batchSize), "a whole number of at least 1");
    }
    const adminError = await runRemovalLane(options.admin, iteratorOf(accounts), report, {
      batchSize,
      concurrency,
      signal: options.signal,
    });
    return report.finish({ aborted: options.signal?.aborted ?? false, adminError });
  }
  // Checked before the first account is pulled: a missing host or a bad URL is one error, not one per account.
  streamTarget(open);
  const source = iteratorOf(accounts as Accounts<Credentials>);
  const workers = Array.from({ length: concurrency }, async () => {
    while (!options.signal?.aborted) {
      const next = await source.next();
      if (next.done) return;
      report.inFlight += 1;
      const outcome = await removeOne(open, next.value, options.timeout);
      report.inFlight -= 1;
      report.add(outcome);
    }
  });
  await Promise.all(workers);
  return report.finish({ aborted: options.signal?.aborted ?? false });
}

/**
 * Log in and remove. A stream the server drops on the way (jabberd2 does, next to other sessions closing) is
 * retried after a pause; once a removal was sent, a later "not authorized" means it was applied.
 */
async function removeOne(open: OpenStreamOptions, account: Credentials, timeout?: number): Promise<Outcome> {
  const { username, password } = account;
  const options = timeout === undefined ? open : { ...open, timeout };
  let removalSent = false;
  try {
    requireTextOptions("removeMany", account, { required: ["username", "password"] });
    await retry(STREAM_LOST_RETRIES, isStreamLost, async () => {
      const stream = await openStream(options);
      try {
        await authenticate(stream, { username, password, resource: "reguser-remove" });
        removalSent = true;
        await removeAccount(stream);
      } finally {
        await stream.close();
      }
    });
    return { username, ok: true };
  } catch (error) {
    if (removalSent && error instanceof NotAuthorizedError) return { username, ok: true };
    return { username, ok: false, error: error as Error };
  }
}
