// vitest fixtures: `xmppUser` from a supply (registered in batches, removed in bulk when the suite that called
// withXmppUser ends: that suite fails, with the report, if any account is left), `freshXmppUser` registered and
// removed around its one test, and `xmppUsers`, the supply itself.
import { afterAll, test as base } from "vitest";
import { createThrowawayUser, type ThrowawayUser } from "./throwaway-user.js";
import { createUserSupply, type SupplyOptions, type UserSupply } from "./user-supply.js";

export interface XmppUserFixtures {
  /** A registered account for this test, from the supply; removed with the rest when the suite ends. */
  xmppUser: ThrowawayUser;
  /** An account registered for this test alone and removed right after it: one stream each way (the old way). */
  freshXmppUser: ThrowawayUser;
  /** The supply `xmppUser` comes from: `take()` for more accounts in one test. */
  xmppUsers: UserSupply;
}

/**
 * `const test = withXmppUser({ host, port, domain })`, then `test("…", async ({ xmppUser }) => …)`. `options` may be a
 * function, called when a test first asks for an account (for a server started in `beforeAll`). The accounts go in
 * an `afterAll` hook registered where this is called (the file, or a describe block); vitest runs a suite's
 * `afterAll` hooks last-registered first, so call this after registering the hook that stops a server the file
 * started. Scoped fixtures (`scope: "file" | "worker"`) would not do: vitest refuses them inside a describe block,
 * and drops a worker fixture's teardown error when its worker is the last to stop.
 */
export function withXmppUser(options: SupplyOptions | (() => SupplyOptions)) {
  const resolve = () => (typeof options === "function" ? options() : options);
  let supply: UserSupply | undefined;
  let removed = false;
  const xmppUsers = () => {
    if (removed) {
      throw new Error(
        "The accounts of this withXmppUser() were removed when the suite that called it ended: call withXmppUser in " +
          "each test file, not in a module that files share (with isolate: false)",
      );
    }
    supply ??= createUserSupply(resolve());
    return supply;
  };
  afterAll(async () => {
    removed = true;
    await supply?.close();
  });
  return base.extend<XmppUserFixtures>({
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixture's dependencies from this pattern
    xmppUsers: async ({}, use) => {
      await use(xmppUsers());
    },
    xmppUser: async ({ xmppUsers }, use) => {
      await use(await xmppUsers.take());
    },
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixture's dependencies from this pattern
    freshXmppUser: async ({}, use) => {
      const user = await createThrowawayUser(resolve());
      try {
        await use(user);
      } finally {
        await user.remove();
      }
    },
  });
}
