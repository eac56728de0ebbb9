// Jest: `const users = xmppUsers(options)` at the top of a test file, `await users.take()` in its tests; every account
// goes in bulk in an `afterAll` hook, even when tests fail or time out.
import { XmppError } from "reguser";
import { createUserSupply, type SupplyOptions, type UserSupply } from "./user-supply.js";

/** Jest's `afterAll`, as a global or from `@jest/globals`. */
export type AfterAll = (fn: () => Promise<void>, timeout?: number) => void;

export interface JestSupplyOptions {
  /** `afterAll` of `@jest/globals`, for `injectGlobals: false`. Default: Jest's global one. */
  afterAll?: AfterAll;
  /** Milliseconds the removal hook may take (Jest's default of 5,000 is short for many accounts). Default 120,000. */
  timeout?: number;
}

/**
 * A supply of throwaway users for this file, closed by an `afterAll` hook registered now (Jest runs them in order, all
 * of them even when one fails). Accounts left make that hook fail with `AccountsLeftError`: the suite fails, with the
 * report.
 */
export function xmppUsers(options: SupplyOptions | (() => SupplyOptions), jest: JestSupplyOptions = {}): UserSupply {
  const afterAll = jest.afterAll ?? (globalThis as { afterAll?: AfterAll }).afterAll;
  if (typeof afterAll !== "function") {
    throw new XmppError(
      "xmppUsers() registers an afterAll hook: call it at the top of a Jest test file, or pass { afterAll } from @jest/globals",
    );
  }
  const supply = createUserSupply(options);
  afterAll(() => supply.close(), jest.timeout ?? 120_000);
  return supply;
}
