// XEP-0077 §3.2 Entity Cancels an Existing Registration; the server then ends the stream.
import type { IqOptions, IqSession } from "@reguser/iq";
import { buildRemoveRequest } from "@reguser/protocol";

/** How long to wait for the server to end the session after confirming the removal. */
export const SERVER_CLOSE_GRACE_MS = 2000;

/** Remove the account logged in on `session`. The session is closed afterwards, whoever closes it. */
export async function removeAccount(session: IqSession, options: IqOptions = {}): Promise<void> {
  // Prosody and ejabberd follow the result with a stream error, jabberd2 with </stream:stream>: both are success.
  await session.set(buildRemoveRequest(), { ...options, endsSession: true });
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, SERVER_CLOSE_GRACE_MS)));
  await Promise.race([session.ended, grace]);
  clearTimeout(timer);
  await session.close();
}
