// Remove many accounts: each one logs in on its own stream and removes itself (the server ends that stream).
import { authenticate, type Credentials } from "@reguser/auth";
import { NotAuthorizedError, requireTextOptions } from "@reguser/errors";
import { removeAccount } from "@reguser/register";
import { type OpenStreamOptions, openStream } from "@reguser/stream";
import { isStreamLost, retry } from "@reguser/stream/internal";
import type { BulkOptions } from "./register-many.js";
import { type BulkReport, type Outcome, ReportBuilder } from "./report.js";
import { type Accounts, iteratorOf } from "./source.js";
import { STREAM_LOST_RETRIES } from "./stream-lost.js";

export type RemoveManyOptions = Omit<BulkOptions, "connections">;

/**
 * Remove every account of `accounts`, each logging in on its own stream; per-account outcomes in the report.
 * `concurrency` is the number of accounts being removed at once. Default 16. A missing `host` throws
 * `InvalidOptionError` before anything is sent; an account without username or password fails on its own.
 */
export async function removeMany(
  open: OpenStreamOptions,
  accounts: Accounts<Credentials>,
  options: RemoveManyOptions = {},
): Promise<BulkReport> {
  requireTextOptions("removeMany", open, { required: ["host"] });
  const report = new ReportBuilder(options);
  const source = iteratorOf(accounts);
  const workers = Array.from({ length: options.concurrency ?? 16 }, async () => {
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
