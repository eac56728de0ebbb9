// Idempotent registration: an account whose registration reply was lost may exist or not, a login tells.
import { authenticate } from "@reguser/auth";
import { ConnectionError, NotAuthorizedError, requireTextOptions, StreamError } from "@reguser/errors";
import { type NewAccount, type RegisterOptions, register } from "@reguser/register";
import { type OpenStreamOptions, openStream } from "@reguser/stream";
import type { Outcome } from "./report.js";

const ATTEMPTS = 4;
const FIRST_PAUSE_MS = 300;

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
  let outcome = await settleOnce(open, account, options);
  for (let attempt = 1; attempt < ATTEMPTS && !outcome.ok && isTransient(outcome.error); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, FIRST_PAUSE_MS * attempt));
    outcome = await settleOnce(open, account, options);
  }
  return outcome;
}

function isTransient(error: Error): boolean {
  return error instanceof StreamError || error instanceof ConnectionError;
}

async function settleOnce(open: OpenStreamOptions, account: NewAccount, options: RegisterOptions): Promise<Outcome> {
  const { username, password } = account;
  try {
    requireTextOptions("ensureRegistered", account, { required: ["username", "password"] });
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
  } catch (error) {
    return { username, ok: false, error: error as Error };
  }
}
