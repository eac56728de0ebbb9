// Register many accounts at the server's speed: pipelined IQ-sets on one stream (or a few), per-account outcomes,
// and the admin path for the rest once the server refuses in-band registration as such.
import { InvalidOptionError, ProtocolError } from "@reguser/errors";
import {
  isRegistrationClosed,
  type NewAccount,
  type Provisioner,
  type RegisterOptions,
  RegistrationThrottledError,
} from "@reguser/register";
import { openStream, type XmppStream } from "@reguser/stream";
import { ensureRegistered } from "./ensure-registered.js";
import { type ProvisionManyOptions, runProvisionLane } from "./provision-many.js";
import { runRegisterLane } from "./register-lane.js";
import { type BulkProgress, type BulkReport, type Outcome, ReportBuilder } from "./report.js";
import { type Accounts, countedIterator } from "./source.js";
import { ThrottleGate, type ThrottleOptions } from "./throttle-gate.js";

export interface BulkOptions {
  /** Requests in flight per stream. Default 64. */
  concurrency?: number;
  /** Streams to spread the work over; extra ones are opened like the first. Default 1. */
  connections?: number;
  /** Milliseconds to wait for each reply; defaults to the stream's timeout. */
  timeout?: number;
  /** Stops sending; requests already sent still get their outcome. */
  signal?: AbortSignal;
  /** Called after each outcome with the counts so far (done, ok, failed, in flight). */
  onProgress?: (progress: BulkProgress) => void;
  /** Each outcome as it happens (for runs too large to keep them all). */
  onOutcome?: (outcome: Outcome) => void;
  /** Keep every outcome in the report. Default true; false keeps memory flat for huge runs. */
  keepOutcomes?: boolean;
}

export type RegisterManyOptions = BulkOptions &
  ThrottleOptions &
  Pick<RegisterOptions, "saslprep"> & {
    /**
     * Where accounts go once the server refuses in-band registration as such (`isRegistrationClosed`): the refused
     * ones, then the rest, through `admin.createUser` (outcomes `via: "admin"`, the refusal in `report.refused`).
     * Without it, such refusals are failures like any other.
     */
    admin?: Pick<Provisioner, "createUser"> | undefined;
    /** Provisioner calls in flight on the admin path, once one has succeeded. Default 16. */
    adminConcurrency?: number | undefined;
    /** A failure of the admin path no later account can avoid (see `provisionMany`'s `isFatal`). */
    isAdminFatal?: ProvisionManyOptions["isFatal"] | undefined;
  };

export const DEFAULT_CONCURRENCY = 64;

/**
 * Register every account of `accounts` on `stream` (and `connections - 1` more like it), up to `concurrency`
 * requests in flight per stream; per-account outcomes in the report. An account without username or password
 * fails on its own with `InvalidOptionError`, unsent; the others go on. With `admin`, a refusal of registration as
 * such sends that account and every later one to the admin path. A registration throttle stops the run, is waited
 * out or goes to `admin`, as `onThrottle` says.
 */
export async function registerMany(
  stream: XmppStream,
  accounts: Accounts<NewAccount>,
  options: RegisterManyOptions = {},
): Promise<BulkReport> {
  if (options.onThrottle === "admin" && !options.admin) {
    throw new InvalidOptionError(
      "registerMany",
      "onThrottle",
      "'admin' and no `admin`",
      "'stop' or 'wait' without `admin`",
    );
  }
  const report = new ReportBuilder(options);
  const requestOptions = { timeout: options.timeout, saslprep: options.saslprep };
  const streams = [stream, ...(await extraStreams(stream, (options.connections ?? 1) - 1))];
  const source = countedIterator(accounts);
  const suspects: NewAccount[] = [];
  const throttle = new ThrottleGate(options);
  let refused: Error | undefined;
  const refusedAccounts: NewAccount[] = [];
  const divert = (account: NewAccount, error: Error) => {
    const toAdmin =
      isRegistrationClosed(error) || (throttle.mode === "admin" && error instanceof RegistrationThrottledError);
    if (!options.admin || !toAdmin) return false;
    refused ??= error;
    refusedAccounts.push(account);
    return true;
  };
  // An account whose outcome is unknown: it may exist (with our password) or not; a login tells.
  const settle = async (account: NewAccount) => {
    const outcome = await ensureRegistered(stream.openOptions ?? { host: stream.host }, account, requestOptions);
    if (outcome.ok || !divert(account, outcome.error)) report.add(outcome);
  };
  try {
    const results = await Promise.all(
      streams.map((s) =>
        runRegisterLane({
          stream: s,
          source,
          window: options.concurrency ?? DEFAULT_CONCURRENCY,
          signal: options.signal,
          stopped: () => refused !== undefined,
          requestOptions,
          report,
          suspects,
          settle,
          divert,
          throttle,
        }),
      ),
    );
    for (const account of suspects) await settle(account);
    const adminError =
      options.admin && refused !== undefined && !options.signal?.aborted
        ? await runProvisionLane(options.admin, refusedThenRest(refusedAccounts, source), report, {
            concurrency: options.adminConcurrency,
            isFatal: options.isAdminFatal,
            signal: options.signal,
          })
        : undefined;
    return report.finish({
      aborted: options.signal?.aborted ?? false,
      error: results.find((r) => r.error)?.error,
      pipeliningFallback: results.some((r) => r.lostReplies),
      renewedStreams: results.reduce((sum, r) => sum + r.renewedStreams, 0),
      ...(refused === undefined ? {} : { refused }),
      ...(adminError === undefined ? {} : { adminError }),
      ...(throttle.first === undefined ? {} : { throttled: throttle.first }),
      ...(throttle.stopped ? { notAttempted: source.left() } : {}),
    });
  } finally {
    await Promise.all(streams.slice(1).map((s) => s.close()));
  }
}

/** The accounts the server refused, then those it was never sent. */
async function* refusedThenRest(refused: NewAccount[], rest: AsyncIterator<NewAccount>): AsyncGenerator<NewAccount> {
  yield* refused.splice(0);
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

async function extraStreams(stream: XmppStream, count: number): Promise<XmppStream[]> {
  if (count <= 0) return [];
  const options = stream.openOptions;
  if (!options)
    throw new ProtocolError("connections > 1 needs a stream opened with openStream (its options are reused)");
  return Promise.all(Array.from({ length: count }, () => openStream(options)));
}
