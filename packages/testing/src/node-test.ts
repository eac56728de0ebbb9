// node:test: `const users = xmppUsers(options)` at the top of a test file, `await users.take()` in its tests; every
// account goes in bulk in an `after` hook, even when tests fail or time out.
import { after } from "node:test";
import { createUserSupply, type SupplyOptions, type UserSupply } from "./user-supply.js";

/**
 * A supply of throwaway users for this file, closed by an `after` hook registered now: hooks run in the order they
 * were registered, so call this before registering the one that stops a server the file started. When accounts are
 * left, the report goes to stderr and the run fails (`process.exitCode = 1`) without throwing: a failing `after` hook
 * skips the ones registered after it (Node 20), and a server left running would keep the process from ending.
 */
export function xmppUsers(options: SupplyOptions | (() => SupplyOptions)): UserSupply {
  const supply = createUserSupply(options);
  after(async () => {
    try {
      await supply.close();
    } catch (err) {
      process.exitCode = 1;
      console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    }
  });
  return supply;
}
