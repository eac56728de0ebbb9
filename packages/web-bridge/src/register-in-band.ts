// XEP-0077 through reguser for `POST /register/:username`, on a stream of its own before the login: a 409 when
// the name is taken, a 403 when the server does not allow in-band registration.
import { ConflictError } from "@reguser/errors";
import { inquire, isRegistrationClosed, register } from "@reguser/register";
import { openStream } from "@reguser/stream";
import { streamOptionsFromService } from "@reguser/xmppjs";
import { BridgeError } from "./bridge-error.js";
import type { XmppTarget } from "./xmpp-login.js";

export async function registerInBand(target: XmppTarget, username: string, password: string): Promise<void> {
  let stream: Awaited<ReturnType<typeof openStream>> | undefined;
  try {
    stream = await openStream({
      ...streamOptionsFromService(target.service, target.domain),
      timeout: target.timeout ?? 20_000,
    });
    const inquiry = await inquire(stream);
    await register(stream, { username, password }, { inquiry });
  } catch (err) {
    if (err instanceof ConflictError) throw new BridgeError("taken", "This username is taken", { cause: err });
    if (isRegistrationClosed(err)) {
      throw new BridgeError("not_found", "The XMPP server does not allow in-band registration", { cause: err });
    }
    throw new BridgeError("xmpp_failed", "The XMPP server could not register the account", { cause: err });
  } finally {
    await stream?.close().catch(() => {});
  }
}
