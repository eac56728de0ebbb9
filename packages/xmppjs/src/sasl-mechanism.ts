// RFC 6120 §6.3.3 mechanism preference: what to pick from the mechanisms xmpp.js supports and the server offers.
import { AuthMethodUnavailableError } from "@reguser/errors";

export interface MechanismContext {
  /** The connection is TLS-protected. */
  secure: boolean;
  /** The server is on a loopback address: PLAIN cannot be overheard there. */
  loopback: boolean;
  /** Allow PLAIN over an unencrypted connection to a remote host. */
  allowInsecure?: boolean;
}

/**
 * The first of `mechanisms` (xmpp.js's priority order, e.g. SCRAM-SHA-1, PLAIN, ANONYMOUS) fit for a password login.
 * Unlike xmpp.js 0.14's own choice, never ANONYMOUS (an account was asked for) and PLAIN unencrypted only on loopback.
 */
export function chooseSaslMechanism(mechanisms: readonly string[], context: MechanismContext): string {
  const plainOk = context.secure || context.loopback || (context.allowInsecure ?? false);
  const usable = mechanisms.filter((m) => m !== "ANONYMOUS" && (m !== "PLAIN" || plainOk));
  const choice = usable[0];
  if (!choice) throw new AuthMethodUnavailableError("SASL with a password", mechanisms);
  return choice;
}
