// Polling for what a server does on its own time (a log line, a close, a delivery), bounded by a hang guard.
import { expect } from "vitest";

/** Most ms to wait for anything a server should do on its own (close, answer): generous, never a speed check. */
export const SETTLE_MS = 20_000;

/** Wait (up to SETTLE_MS) until `what` holds, then assert it. */
export async function waitFor(what: () => boolean): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(what()).toBe(true);
}
