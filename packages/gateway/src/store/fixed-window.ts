// The fixed rate-limit window that contains an instant, shared by both stores so they count alike.

export interface FixedWindow {
  /** When the window began, in ms since the epoch: a multiple of its length. */
  start: number;
  /** When it ends (the next one begins). */
  resetAt: number;
}

/** The window of `windowMs` containing `now`; throws RangeError for a length that is not a positive integer. */
export function fixedWindow(windowMs: number, now: number): FixedWindow {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) {
    throw new RangeError(`windowMs must be a positive integer number of milliseconds, got ${windowMs}`);
  }
  if (!Number.isFinite(now)) throw new RangeError(`now must be a finite time in ms, got ${now}`);
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, resetAt: start + windowMs };
}

/** Whether something that stops at `expiresAt` still holds at `now` (it is over from `expiresAt` on). */
export function isLive(expiresAt: number, now: number): boolean {
  return now < expiresAt;
}
