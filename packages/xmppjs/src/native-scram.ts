// RFC 5802 SCRAM-SHA-1 for xmpp.js with Node's own PBKDF2. xmpp.js's mechanism (sasl-scram-sha-1 1.4) computes
// Hi() as one Web Crypto call per iteration: ~600 ms of thread-pool work per login at Prosody's 4,096 rounds, so a
// service logging in many users queues behind its own logins. Node's crypto.pbkdf2 computes the same bytes in one
// call; the rest of the exchange stays xmpp.js's own.
import { pbkdf2 } from "node:crypto";
import { promisify } from "node:util";

const derive = promisify(pbkdf2);

/** Most rounds a server may ask for: more is a server trying to burn our CPU (RFC 5802 §5.1 sets no limit). */
export const MAX_SCRAM_ITERATIONS = 1_000_000;

interface ScramState {
  _stage: string;
  _salt?: Uint8Array;
  _iterationCount?: number;
}

/** A saslmechanisms mechanism class, as xmpp.js registers SCRAM-SHA-1. */
export type ScramMechanismClass = new (
  ...args: never[]
) => {
  /** The next client message for `cred` (the first, or the answer to the server's challenge). */
  response(cred: Record<string, unknown>): unknown;
};

/**
 * Make `xmpp` (an `@xmpp/client` 0.14 client, before `start()`) compute SCRAM-SHA-1's salted password with
 * `crypto.pbkdf2`: the same result as xmpp.js's, in one native call. Throws a TypeError for a client whose SASL
 * factory has no SCRAM-SHA-1 to replace.
 */
export function useNativeScram(xmpp: unknown): void {
  // xmpp.js 0.14 keeps its mechanisms as a list in saslmechanisms' Factory; `create` takes the first by name.
  const factory = (xmpp as { saslFactory?: { _mechs?: Array<{ name: string; mech: ScramMechanismClass }> } })
    .saslFactory;
  const entry = factory?._mechs?.find((m) => m.name === "SCRAM-SHA-1");
  if (!entry) {
    throw new TypeError("useNativeScram: this client has no SCRAM-SHA-1 mechanism to replace (@xmpp/client 0.14)");
  }
  if ((entry.mech as { native?: boolean }).native) return;
  entry.mech = nativeScram(entry.mech);
}

/** A subclass of xmpp.js's SCRAM-SHA-1 mechanism that hands it the salted password, computed natively. */
export function nativeScram<M extends ScramMechanismClass>(Base: M): M {
  class NativeScram extends (Base as ScramMechanismClass) {
    static native = true;
    override async response(cred: Record<string, unknown>): Promise<unknown> {
      const state = this as unknown as ScramState;
      const password = cred?.password;
      if (state._stage === "challenge" && typeof password === "string" && state._salt?.length) {
        const rounds = state._iterationCount ?? Number.NaN;
        if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_SCRAM_ITERATIONS) {
          throw new Error(`The server asked for ${rounds} SCRAM rounds (at most ${MAX_SCRAM_ITERATIONS} are computed)`);
        }
        const salted = await derive(password, state._salt, rounds, 20, "sha1");
        // xmpp.js's mechanism skips its own Hi() when it is given the salted password for this salt.
        return super.response({ ...cred, salt: state._salt, saltedPassword: new Uint8Array(salted) });
      }
      return super.response(cred);
    }
  }
  return NativeScram as unknown as M;
}
