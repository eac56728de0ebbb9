// `doctor --probe`: two throwaway registrations from here, removed again, to see what a real attempt meets.
import { randomBytes } from "node:crypto";
import {
  authenticate,
  createAccount,
  InviteRequiredError,
  isRegistrationClosed,
  type OpenStreamOptions,
  openStream,
  type RegistrationInfo,
  RegistrationThrottledError,
  removeAccount,
  StanzaError,
} from "reguser";
import { adviceFor, type Problem } from "./advice.js";
import type { Check } from "./check.js";

/** Register two accounts, one after the other, then remove what was made. */
export async function probeRegistration(
  target: OpenStreamOptions,
  inquiry: RegistrationInfo,
  advise: (problem: Problem) => string,
): Promise<Check[]> {
  if (inquiry.captcha) return [{ name: "probe", status: "warn", saw: "skipped: a CAPTCHA needs a person" }];
  const made: Array<{ username: string; password: string }> = [];
  try {
    for (const n of [1, 2]) {
      const account = {
        username: `doctor-${randomBytes(4).toString("hex")}`,
        password: randomBytes(12).toString("hex"),
      };
      const refusal = await registerOnce(target, account);
      if (refusal) return [refusalCheck(n, refusal, advise)];
      made.push(account);
    }
    return [{ name: "probe", status: "ok", saw: "registered two accounts one after the other, and removed them" }];
  } finally {
    for (const account of made) await removeOnce(target, account).catch(() => undefined);
  }
}

/** One registration on a stream of its own (createAccount without an admin path): the refusal, if there is one. */
function registerOnce(target: OpenStreamOptions, account: { username: string; password: string }) {
  return createAccount(target, account).then(
    () => undefined,
    (err: unknown) => {
      if (err instanceof StanzaError) return err;
      throw err;
    },
  );
}

function refusalCheck(n: number, err: StanzaError, advise: (problem: Problem) => string): Check {
  const which = n === 1 ? "the first registration" : "a second registration right after the first";
  const saw = `${which} was refused: ${err.text ?? err.condition} (${err.code ?? err.condition})`;
  if (err instanceof RegistrationThrottledError) {
    // The throttle's own words may name the server where nothing else did.
    const change = err.server ? adviceFor("throttle", err.server) : advise("throttle");
    return { name: "probe", status: "block", saw, change };
  }
  if (err instanceof InviteRequiredError) return { name: "probe", status: "block", saw, change: advise("invite-only") };
  if (isRegistrationClosed(err)) return { name: "probe", status: "block", saw, change: advise("closed") };
  return { name: "probe", status: "block", saw };
}

async function removeOnce(target: OpenStreamOptions, account: { username: string; password: string }) {
  const stream = await openStream(target);
  try {
    await authenticate(stream, { ...account, resource: "reguser-doctor" });
    await removeAccount(stream);
  } finally {
    await stream.close().catch(() => undefined);
  }
}
