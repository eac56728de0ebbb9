// XEP-0133 §4.2 Delete User with many `accountjids`: one command per batch, each answer read per JID, and a batch
// the server ran all or nothing because of some JIDs split until they stand alone (docs/provisioning.md#35-many-jids).
import { ProtocolError } from "@reguser/errors";
import type { CommandReply, DataForm } from "@reguser/protocol";
import type { BatchRemoval } from "@reguser/register";
import {
  checkTakesMany,
  classifyFailure,
  type JidOutcome,
  jidError,
  jidKey,
  readDeleteAnswer,
  refusal,
} from "./delete-user-answer.js";
import { type BatchLimits, jidBatches, localpartProblem } from "./jid-batches.js";

/** What a delete-user command needs from its caller: a check of the form before submitting, and word of the submit. */
export interface DeleteHooks {
  /** An error to cancel with instead of submitting this form. */
  check(form: DataForm): Error | undefined;
  /** Called just before the filled-in form is sent. */
  submitted(): void;
}

/** Runs one delete-user command for `jids` (`xep0133Provisioner`'s session, or a test's stand-in for a server). */
export type DeleteCommand = (jids: readonly string[], hooks: DeleteHooks) => Promise<CommandReply>;

/**
 * Remove `usernames` at `limits.domain` with as few `command`s as the limits allow, one after another. A name that
 * makes no JID fails unsent; a name given twice is sent once and reported twice. See `Provisioner.removeUsers` for
 * when it rejects.
 */
export async function removeUsers(
  usernames: readonly string[],
  command: DeleteCommand,
  limits: BatchLimits,
): Promise<BatchRemoval> {
  const local = new Map<number, Error>();
  const jids = new Map<string, string>();
  usernames.forEach((username, i) => {
    const problem = localpartProblem(username);
    const jid = `${username}@${limits.domain}`;
    if (problem) local.set(i, problem);
    else if (!jids.has(jidKey(jid))) jids.set(jidKey(jid), jid);
  });
  const outcomes = new Map<string, JidOutcome>();
  const settle = async (batch: readonly string[]): Promise<void> => {
    const answer = await deleteBatch(batch, command);
    if (answer === "split") {
      const half = Math.ceil(batch.length / 2);
      await settle(batch.slice(0, half));
      await settle(batch.slice(half));
      return;
    }
    for (const outcome of answer) outcomes.set(jidKey(outcome.jid), outcome);
  };
  for (const batch of jidBatches([...jids.values()], limits)) {
    try {
      await settle(batch);
    } catch (err) {
      if (outcomes.size === 0) throw err;
      // Stop sending: this batch's unsettled JIDs and every later one fail with what failed the request.
      const error = err as Error;
      for (const jid of jids.values()) {
        if (!outcomes.has(jidKey(jid))) outcomes.set(jidKey(jid), { jid, removed: false, error });
      }
      break;
    }
  }
  return collect(usernames, local, outcomes, limits.domain);
}

/** One command for `batch`: its outcomes, "split" (halve it and try again), or a rejection: it failed as a whole. */
async function deleteBatch(batch: readonly string[], command: DeleteCommand): Promise<JidOutcome[] | "split"> {
  let submitted = false;
  try {
    const reply = await command(batch, {
      check: (form) => checkTakesMany(form, batch.length),
      submitted: () => {
        submitted = true;
      },
    });
    if (!submitted) throw new ProtocolError(`${reply.node} completed before the JIDs were sent`);
    return readDeleteAnswer(reply, batch);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    if (!submitted) throw error;
    switch (classifyFailure(error, batch.length)) {
      case "this-jid":
        return [{ jid: batch[0] as string, removed: false, error: jidError(error) }];
      case "split":
        return "split";
      case "refused":
        throw refusal(error, batch.length);
      default:
        throw error;
    }
  }
}

/** Every username in its list, in the order given. */
function collect(
  usernames: readonly string[],
  local: Map<number, Error>,
  outcomes: Map<string, JidOutcome>,
  domain: string,
): BatchRemoval {
  const result: BatchRemoval = { removed: [], failed: [] };
  usernames.forEach((username, i) => {
    const outcome = local.has(i)
      ? { removed: false as const, error: local.get(i) as Error }
      : outcomes.get(jidKey(`${username}@${domain}`));
    if (outcome?.removed) result.removed.push(username);
    else result.failed.push({ username, error: outcome?.error ?? new ProtocolError(`${username} was never sent`) });
  });
  return result;
}
