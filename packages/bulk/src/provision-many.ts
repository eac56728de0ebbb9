// Create many accounts through an admin provisioner (XEP-0133, Openfire…): a bounded number at a time, the first alone.
import {
  ConnectionError,
  FeatureNotImplementedError,
  ForbiddenError,
  NotAuthorizedError,
  requireTextOptions,
  StreamError,
  TimeoutError,
  TlsRequiredError,
} from "@reguser/errors";
import type { NewAccount, Provisioner } from "@reguser/register";
import { runPipeline } from "./pipeline.js";
import type { BulkOptions } from "./register-many.js";
import { type BulkReport, ReportBuilder } from "./report.js";
import { type Accounts, iteratorOf } from "./source.js";

/** Provisioner calls in flight by default: an admin path is slower than a pipelined stream, and shared. */
export const DEFAULT_ADMIN_CONCURRENCY = 16;

export interface ProvisionManyOptions extends Omit<BulkOptions, "connections" | "timeout"> {
  /** Provisioner calls in flight once one has succeeded (until then, one). Default 16. */
  concurrency?: number;
  /**
   * A failure no later account can avoid: nothing more is sent, and it is the report's `adminError`. Default: a
   * refused credential (`NotAuthorizedError`), an account without admin rights (`ForbiddenError`), commands not
   * offered (`FeatureNotImplementedError`), or the admin path out of reach (`ConnectionError`, `TimeoutError`,
   * `StreamError`, `TlsRequiredError`).
   */
  isFatal?: (error: Error) => boolean;
}

/**
 * Create every account of `accounts` with `admin.createUser`, `concurrency` at a time; per-account outcomes, each
 * `via: "admin"`. The first account goes alone until one succeeds, so a wrong admin credential costs one failure, not
 * `concurrency`; a failure `isFatal` calls fatal ends the run (`report.adminError`). An account without username or
 * password fails on its own with `InvalidOptionError`, unsent.
 */
export async function provisionMany(
  admin: Pick<Provisioner, "createUser">,
  accounts: Accounts<NewAccount>,
  options: ProvisionManyOptions = {},
): Promise<BulkReport> {
  const report = new ReportBuilder(options);
  const adminError = await runProvisionLane(admin, iteratorOf(accounts), report, options);
  return report.finish({ aborted: options.signal?.aborted ?? false, adminError });
}

/** The admin share of a run (registerMany's too): resolves with the fatal failure, if one ended it. */
export async function runProvisionLane(
  admin: Pick<Provisioner, "createUser">,
  source: AsyncIterator<NewAccount>,
  report: ReportBuilder,
  options: Pick<ProvisionManyOptions, "concurrency" | "isFatal" | "signal">,
): Promise<Error | undefined> {
  const limit = options.concurrency ?? DEFAULT_ADMIN_CONCURRENCY;
  const isFatal = options.isFatal ?? adminPathBroken;
  let proven = false;
  let fatal: Error | undefined;
  await runPipeline({
    source,
    window: () => (proven ? limit : 1),
    signal: options.signal,
    stopped: () => fatal !== undefined,
    run: async (account) => {
      const username = account?.username;
      report.inFlight += 1;
      try {
        requireTextOptions("provisionMany", account, { required: ["username", "password"] });
        await admin.createUser(account);
        proven = true;
        report.inFlight -= 1;
        report.add({ username, ok: true, via: "admin" });
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        if (isFatal(error)) fatal ??= error;
        report.inFlight -= 1;
        report.add({ username, ok: false, error, via: "admin" });
      }
    },
  });
  return fatal;
}

function adminPathBroken(error: Error): boolean {
  return [
    NotAuthorizedError,
    ForbiddenError,
    FeatureNotImplementedError,
    ConnectionError,
    TimeoutError,
    StreamError,
    TlsRequiredError,
  ].some((broken) => error instanceof broken);
}
