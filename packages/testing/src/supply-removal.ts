// A supply's accounts removed in bulk: in-band by logging in as each (`removeMany`), through `admin` for those it
// made, and an account the test deleted on its own told apart from one whose password it changed.
import {
  ConflictError,
  ItemNotFoundError,
  NotAuthorizedError,
  type Outcome,
  registerMany,
  removeMany,
  type XmppStream,
} from "reguser";
import type { AccountLeft } from "./accounts-left-error.js";
import { strongPassword } from "./credentials.js";
import type { ThrowawayOptions } from "./throwaway-user.js";

/** An account a supply created, as its removal needs it. */
export interface SuppliedAccount {
  username: string;
  password: string;
  jid: string;
  /** How it was created, and so how it is removed. */
  via: "in-band" | "admin";
  /** Its registration was sent, but the stream was lost before the answer: it may not exist. */
  unconfirmed?: boolean;
}

export interface RemovalContext {
  options: ThrowawayOptions;
  /** Accounts removed at once, each on its own stream (`removeMany`'s `concurrency`). */
  concurrency: number;
  /** The supply's stream, to register a name again and so learn whether it is still taken. */
  stream: () => Promise<XmppStream>;
}

export interface RemovalResult {
  removed: SuppliedAccount[];
  /** Already deleted (by the test, on its own), or never created: nothing to remove. */
  gone: SuppliedAccount[];
  left: AccountLeft[];
}

const PASSWORD_CHANGED =
  "could not log in to remove it (not-authorized), and its name is still taken: its password is no longer the " +
  "one it was registered with (changed by the test?); with `admin` the supply removes such accounts through it";

/**
 * Remove `accounts`, each the way it was made. A login refused as not-authorized means the account is gone or its
 * password changed: the name is registered again to tell (taken: changed, a failure; registered: it was gone, and
 * the new one is removed at once). With `admin`, such accounts are removed through it instead.
 */
export async function removeAccounts(
  accounts: readonly SuppliedAccount[],
  context: RemovalContext,
): Promise<RemovalResult> {
  const result: RemovalResult = { removed: [], gone: [], left: [] };
  const throughAdmin = accounts.filter((a) => a.via === "admin");
  const refused: Refused[] = [];
  for (const { account, outcome } of await removeInBand(
    context,
    accounts.filter((a) => a.via === "in-band"),
  )) {
    if (outcome.ok) result.removed.push(account);
    else if (!(outcome.error instanceof NotAuthorizedError)) {
      result.left.push(left(account, `could not remove it: ${describe(outcome.error)}`, outcome.error));
    } else if (account.unconfirmed) result.gone.push(account);
    else if (context.options.admin) throughAdmin.push(account);
    else refused.push({ account, error: outcome.error });
  }
  await removeThroughAdmin(context, throughAdmin, result);
  await tellGoneFromChanged(context, refused, result);
  return result;
}

/** Log in as each and remove it (`removeMany`); an account it never reached fails as not attempted. */
async function removeInBand(
  context: RemovalContext,
  accounts: readonly SuppliedAccount[],
): Promise<Array<{ account: SuppliedAccount; outcome: Outcome }>> {
  if (accounts.length === 0) return [];
  const report = await removeMany(
    context.options,
    accounts.map(({ username, password }) => ({ username, password })),
    { concurrency: context.concurrency },
  );
  const outcomes = new Map(report.outcomes.map((o) => [o.username, o]));
  return accounts.map((account) => ({
    account,
    outcome: outcomes.get(account.username) ?? {
      username: account.username,
      ok: false,
      error: report.error ?? new Error("removeMany ended before it reached this account"),
    },
  }));
}

/**
 * Accounts created through `admin` (and those it must remove because their login was refused), through
 * `removeMany`'s admin path: XEP-0133 delete-user batches where the admin has `removeUsers`, else one `removeUser`
 * each, `concurrency` at once. An account the backend does not know (`ItemNotFoundError`) is gone already.
 */
async function removeThroughAdmin(
  context: RemovalContext,
  accounts: readonly SuppliedAccount[],
  result: RemovalResult,
): Promise<void> {
  if (accounts.length === 0) return;
  const admin = context.options.admin;
  if (!admin) {
    const error = new Error("no `admin` is configured");
    for (const account of accounts)
      result.left.push(left(account, "it was created through the admin path, and no `admin` is left", error));
    return;
  }
  const report = await removeMany(
    context.options,
    accounts.map((a) => a.username),
    { admin, concurrency: context.concurrency },
  );
  const outcomes = new Map(report.outcomes.map((o) => [o.username, o]));
  for (const account of accounts) {
    const outcome = outcomes.get(account.username);
    if (outcome?.ok) result.removed.push(account);
    else if (outcome?.error instanceof ItemNotFoundError) result.gone.push(account);
    else {
      const error = outcome?.error ?? report.adminError ?? new Error("the admin path stopped before this account");
      result.left.push(left(account, `the admin path could not remove it: ${describe(error)}`, error));
    }
  }
}

/** An account whose login the removal was refused, with the refusal. */
interface Refused {
  account: SuppliedAccount;
  error: Error;
}

/** Register each refused name again: taken means its password changed; registered means it was gone (remove it). */
async function tellGoneFromChanged(
  context: RemovalContext,
  refused: readonly Refused[],
  result: RemovalResult,
): Promise<void> {
  if (refused.length === 0) return;
  const again = refused.map(({ account }) => ({ ...account, password: strongPassword() }));
  const report = await context
    .stream()
    .then((stream) =>
      registerMany(
        stream,
        again.map(({ username, password }) => ({ username, password })),
      ),
    )
    .catch((error: Error) => ({ outcomes: [] as Outcome[], error }));
  const outcomes = new Map(report.outcomes.map((o) => [o.username, o]));
  const recreated: SuppliedAccount[] = [];
  again.forEach((account, i) => {
    const { account: original, error: refusal } = refused[i] as Refused;
    const outcome = outcomes.get(account.username);
    if (outcome?.ok) recreated.push(account);
    else if (outcome?.error instanceof ConflictError) result.left.push(left(original, PASSWORD_CHANGED, refusal));
    else {
      const error = outcome?.error ?? report.error ?? new Error("no answer");
      const why = `could not log in to remove it (not-authorized), nor tell whether it still exists: ${describe(error)}`;
      result.left.push(left(original, why, error));
    }
  });
  for (const { account, outcome } of await removeInBand(context, recreated)) {
    const original = refused.find((r) => r.account.username === account.username)?.account as SuppliedAccount;
    if (outcome.ok) result.gone.push(original);
    else {
      const why = `it had been deleted, and registering its name again to tell made it anew; removing that failed: ${describe(outcome.error)}`;
      result.left.push(left(original, why, outcome.error));
    }
  }
}

function left(account: SuppliedAccount, reason: string, error: unknown): AccountLeft {
  return {
    username: account.username,
    jid: account.jid,
    reason,
    error: error instanceof Error ? error : new Error(String(error)),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
