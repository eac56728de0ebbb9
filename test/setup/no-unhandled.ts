// Every test fails on an unhandled rejection or uncaught exception, not just the run.
import { afterEach } from "vitest";

const problems: unknown[] = [];
const record = (reason: unknown) => problems.push(reason);
process.on("unhandledRejection", record);
process.on("uncaughtException", record);

/** What went unhandled since the last call: for tests that check more often than once per test (fuzz runs). */
export function takeUnhandled(): unknown[] {
  return problems.splice(0);
}

afterEach(() => {
  const found = takeUnhandled();
  if (found.length > 0) {
    throw new Error(`Unhandled rejection or exception during the test: ${found.map(String).join("; ")}`);
  }
});
