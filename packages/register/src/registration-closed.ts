// XEP-0077 §3.1 and §8: the answers that mean "in-band registration is switched off here", as typed errors.
import { FeatureNotImplementedError, ForbiddenError, NotAllowedError, ServiceUnavailableError } from "@reguser/errors";

/**
 * Prosody answers `service-unavailable` (503), ejabberd `forbidden` (403), jabberd2 `not-allowed` (405), and jabberd
 * 1.4 `feature-not-implemented` (501) to an attempt when registration is off (docs/servers.md#side-by-side).
 * Nothing else is read as "closed": a conflict, a missing field or a throttle is about this account.
 */
export const REGISTRATION_CLOSED = [
  ServiceUnavailableError,
  ForbiddenError,
  NotAllowedError,
  FeatureNotImplementedError,
] as const;

/** The server refuses in-band registration as such (not this account): another way in, an admin path, may work. */
export function isRegistrationClosed(err: unknown): boolean {
  return REGISTRATION_CLOSED.some((closed) => err instanceof closed);
}
