// RFC 6120 §6.4.2 the mechanism the client names in <auth/>: one of those configured, else invalid-mechanism.
import type { ServerDeps } from "../context.js";
import type { SaslMechanism } from "../options.js";
import { failure, SASL_FAILURES, type SaslStep } from "./sasl-exchange.js";
import { saslPlain } from "./sasl-plain.js";
import { saslScram } from "./sasl-scram.js";

/** Starts the exchange of the mechanism `<auth/>` names, when it is one the server offers. */
export function saslMechanisms(deps: Pick<ServerDeps, "options" | "store" | "passwords">): SaslStep {
  const steps: Record<SaslMechanism, SaslStep> = { "SCRAM-SHA-1": saslScram(deps), PLAIN: saslPlain(deps) };
  const offered: readonly string[] = deps.options.saslMechanisms;
  return (auth, session) => {
    const mechanism = String(auth.attrs.mechanism);
    if (!offered.includes(mechanism)) return failure(SASL_FAILURES.invalidMechanism);
    return steps[mechanism as SaslMechanism](auth, session);
  };
}
