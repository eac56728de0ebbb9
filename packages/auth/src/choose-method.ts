// Pick a method the server offered: never send one it did not (docs/traps.md#trap-1).
import { AuthMethodUnavailableError, ProtocolError } from "@reguser/errors";
import type { AuthMethods } from "./auth-methods.js";

export const AUTH_METHODS = ["0k", "digest", "plain"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** The iq:auth methods `methods` offers, strongest first: `0k`, `digest`, `plain`. */
export function offeredMethods(methods: AuthMethods): AuthMethod[] {
  return AUTH_METHODS.filter((m) =>
    m === "0k" ? methods.zeroKnowledge !== undefined : methods[m === "plain" ? "plain" : "digest"],
  );
}

/** `auto` takes the strongest offered: 0k, then digest, then plaintext. */
export function chooseMethod(methods: AuthMethods, wanted: AuthMethod | "auto" = "auto"): AuthMethod {
  const offered = offeredMethods(methods);
  // A broken 0k offer is the server's fault; hiding it behind another method would hide the bug.
  if (methods.zeroKnowledgeProblem && (wanted === "0k" || wanted === "auto")) {
    throw new ProtocolError(`Cannot use zero-knowledge authentication: ${methods.zeroKnowledgeProblem}`);
  }
  const choice = wanted === "auto" ? offered[0] : offered.find((m) => m === wanted);
  if (!choice) throw new AuthMethodUnavailableError(wanted, offered);
  return choice;
}
