// Idempotent registration: an account whose registration reply was lost may exist or not, a login tells.
import { authenticate } from "@reguser/auth";
import { NotAuthorizedError, requireTextOptions } from "@reguser/errors";
import { type NewAccount, type RegisterOptions, register } from "@reguser/register";
import { type OpenStreamOptions, openStream } from "@reguser/stream";
import { isStreamLost, retry } from "@reguser/stream/internal";
import type { Outcome } from "./report.js";
import { STREAM_LOST_RETRIES } from "./stream-lost.js";

/**
 * Make sure `account` exists with its password: log in, else register. The check as a whole is idempotent,
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
  const stream = await openStream(open);
  try {
    await authenticate(stream, { username, password, resource: "reguser-check" });
    return { username, ok: true, confirmedByLogin: true };
  } catch (err) {
    if (!(err instanceof NotAuthorizedError)) throw err;
    // Not created by the lost request. A failed login leaves the stream outside a session: register there.
    await register(stream, account, options);
    return { username, ok: true };
  } finally {
    await stream.close();
  }
}
