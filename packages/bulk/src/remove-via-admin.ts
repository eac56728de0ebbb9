// Remove many accounts through an admin provisioner, no passwords needed: `removeUsers` batches (XEP-0133 delete-user
// with many JIDs) where it has them, else `removeUser` a bounded number at a time.
import {
  ConnectionError,
  FeatureNotImplementedError,
  ForbiddenError,
  InvalidOptionError,
  NotAuthorizedError,
  ProtocolError,
  StreamError,
  TimeoutError,
  TlsRequiredError,
} from "@reguser/errors";
import type { BatchRemoval, Provisioner } from "@reguser/register";
import { runPipeline } from "./pipeline.js";
import type { Outcome, ReportBuilder } from "./report.js";

/** What `removeMany` needs of an admin path: `removeUser`, and `removeUsers` where the backend batches. */
export type AdminRemover = Pick<Provisioner, "removeUser"> & Partial<Pick<Provisioner, "removeUsers">>;

/** An account to remove through an admin path: its username, alone or in an object (a password is ignored). */
export type RemovableAccount = string | { username: string; password?: string | undefined };

/** Usernames per `removeUsers` call by default: one XEP-0133 delete-user command's worth. */
export const DEFAULT_ADMIN_BATCH_SIZE = 500;

/** How the admin share of a removal runs. */
export interface RemovalLaneOptions {
  /** Usernames per `removeUsers` call. */
  batchSize: number;
  /** `removeUser` calls in flight once one has succeeded (until then, one). */
  concurrency: number;
  signal?: AbortSignal | undefined;
}

/**
 * Remove every account of `source` through `admin`, outcomes `via: "admin"` into `report` as each batch (or call)
 * completes. Resolves with the failure that ended the run: a `removeUsers` that rejected (its batch failed as a
 * whole), or an error no later account could avoid (a refused credential, no admin rights, the path out of reach).
 */
export async function runRemovalLane(
  admin: AdminRemover,
  source: AsyncIterator<RemovableAccount>,
  report: ReportBuilder,
  options: RemovalLaneOptions,
): Promise<Error | undefined> {
  const removeUsers = admin.removeUsers?.bind(admin);
  return removeUsers ? batchLane(removeUsers, source, report, options) : singleLane(admin, source, report, options);
}

async function batchLane(
  removeUsers: NonNullable<AdminRemover["removeUsers"]>,
  source: AsyncIterator<RemovableAccount>,
  report: ReportBuilder,
  options: RemovalLaneOptions,
): Promise<Error | undefined> {
  let fatal: Error | undefined;
  while (!fatal && !options.signal?.aborted) {
    const { names, done } = await takeBatch(source, options.batchSize, report);
    if (names.length > 0) {
      report.inFlight += names.length;
      const result = await removeUsers(names).catch((err: unknown) => asError(err));
      report.inFlight -= names.length;
      if (result instanceof Error) fatal = result;
      for (const outcome of outcomesOf(names, result)) {
        if (!outcome.ok && adminPathBroken(outcome.error)) fatal ??= outcome.error;
        report.add(outcome);
      }
    }
    if (done) break;
  }
  return fatal;
}

/** Up to `size` usernames from `source`; an account without one fails on the spot, unsent. */
async function takeBatch(
  source: AsyncIterator<RemovableAccount>,
  size: number,
  report: ReportBuilder,
): Promise<{ names: string[]; done: boolean }> {
  const names: string[] = [];
  while (names.length < size) {
    const next = await source.next();
    if (next.done) return { names, done: true };
    const username = usernameOf(next.value);
    if (username instanceof Error) report.add(unsent(next.value, username));
    else names.push(username);
  }
  return { names, done: false };
}

async function singleLane(
  admin: AdminRemover,
  source: AsyncIterator<RemovableAccount>,
  report: ReportBuilder,
  options: RemovalLaneOptions,
): Promise<Error | undefined> {
  let proven = false;
  let fatal: Error | undefined;
  await runPipeline({
    source,
    window: () => (proven ? options.concurrency : 1),
    signal: options.signal,
    stopped: () => fatal !== undefined,
    run: async (account) => {
      const username = usernameOf(account);
      if (username instanceof Error) {
        report.add(unsent(account, username));
        return;
      }
      report.inFlight += 1;
      const error = await admin.removeUser(username).then(
        () => undefined,
        (err: unknown) => asError(err),
      );
      report.inFlight -= 1;
      if (error === undefined) proven = true;
      else if (adminPathBroken(error)) fatal ??= error;
      report.add(
        error === undefined ? { username, ok: true, via: "admin" } : { username, ok: false, error, via: "admin" },
      );
    },
  });
  return fatal;
}

/** One outcome per name sent, in order: from the provisioner's lists, or its rejection for all of them. */
function outcomesOf(names: readonly string[], result: BatchRemoval | Error): Outcome[] {
  if (result instanceof Error) return names.map((username) => ({ username, ok: false, error: result, via: "admin" }));
  const removed = new Map<string, number>();
  for (const name of result.removed) removed.set(name, (removed.get(name) ?? 0) + 1);
  const failed = new Map<string, Error[]>();
  for (const { username, error } of result.failed) failed.set(username, [...(failed.get(username) ?? []), error]);
  return names.map((username): Outcome => {
    const left = removed.get(username) ?? 0;
    if (left > 0) {
      removed.set(username, left - 1);
      return { username, ok: true, via: "admin" };
    }
    const error = failed.get(username)?.shift() ?? new ProtocolError(`removeUsers did not report ${username}`);
    return { username, ok: false, error, via: "admin" };
  });
}

function usernameOf(account: RemovableAccount): string | InvalidOptionError {
  const username = typeof account === "string" ? account : account?.username;
  if (typeof username === "string" && username !== "") return username;
  return new InvalidOptionError("removeMany", "username", username === "" ? "an empty string" : typeof username);
}

function unsent(account: RemovableAccount, error: Error): Outcome {
  const username = typeof account === "string" ? account : String(account?.username ?? "");
  return { username, ok: false, error, via: "admin" };
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** As `provisionMany`'s default `isFatal`: failures no later account can avoid. */
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
