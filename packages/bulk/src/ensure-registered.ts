// Idempotent registration: an account whose registration reply was lost may exist or not. Registering again tells
// (it was not created), and a conflict is settled by a login: ours if our password works.
import { authenticate } from "@reguser/auth";
import { ConflictError, NotAuthorizedError, requireTextOptions } from "@reguser/errors";
import { type NewAccount, type RegisterOptions, register } from "@reguser/register";
import { type OpenStreamOptions, openStream } from "@reguser/stream";
import { isStreamLost, retry } from "@reguser/stream/internal";
import type { Outcome } from "./report.js";
import { STREAM_LOST_RETRIES } from "./stream-lost.js";

/**
 * Make sure `account` exists with its password: register it, and when the name is taken log in to tell whether it is
 * ours (`confirmedByLogin`) or someone else's (`ConflictError`). Registering first matters: Prosody with
 * `internal_plain` never answers a login for an unknown user (docs/traps.md#trap-6). The check as a whole is idempotent,
 * so a stream the server drops on the way (jabberd2 does, right after another session closed) is retried
 * after a pause. `confirmedByLogin` tells that the account was there already.
 */
export async function ensureRegistered(
  open: OpenStreamOptions,
  account: NewAccount,
  options: RegisterOptions = {},
): Promise<Outcome> {
  const { username } = account;
  try {
    requireTextOptions("ensureRegistered", account, { required: ["username", "password"] });
    return await retry(STREAM_LOST_RETRIES, isStreamLost, () => settleOnce(open, account, options));
  } catch (error) {
    return { username, ok: false, error: error as Error };
  }
}

async function settleOnce(open: OpenStreamOptions, account: NewAccount, options: RegisterOptions): Promise<Outcome> {
  const { username, password } = account;
  let taken: ConflictError;
  const stream = await openStream(open);
  try {
    await register(stream, account, options);
    return { username, ok: true };
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    taken = err;
  } finally {
    await stream.close();
  }
  // A login of its own: after a registration attempt, jabberd2 never binds a session on that stream (trap 3).
  const check = await openStream(open);
  try {
    await authenticate(check, { username, password, resource: "reguser-check" });
    return { username, ok: true, confirmedByLogin: true };
  } catch (err) {
    // Not our password: the name belongs to someone else.
    if (err instanceof NotAuthorizedError) throw taken;
    throw err;
  } finally {
    await check.close();
  }
}
