// Every test fails on an unhandled rejection or uncaught exception, not just the run.
import { afterEach } from "vitest";

const problems: unknown[] = [];
const record = (reason: unknown) => problems.push(reason);
process.on("unhandledRejection", record);
process.on("uncaughtException", record);

afterEach(() => {
  if (problems.length > 0) {
    const found = problems.splice(0);
    throw new Error(`Unhandled rejection or exception during the test: ${found.map(String).join("; ")}`);
  }
});
