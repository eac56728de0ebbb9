// A vitest fixture: every test that asks for `xmppUser` gets a fresh account, removed even when the test fails.
import { test as base } from "vitest";
import { createThrowawayUser, type ThrowawayOptions, type ThrowawayUser } from "./throwaway-user.js";

export interface XmppUserFixtures {
  xmppUser: ThrowawayUser;
}

/** `const test = withXmppUser({ host, port, domain })`, then `test("…", async ({ xmppUser }) => …)`. */
export function withXmppUser(options: ThrowawayOptions | (() => ThrowawayOptions)) {
  return base.extend<XmppUserFixtures>({
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixture's dependencies from this pattern
    xmppUser: async ({}, use) => {
      const user = await createThrowawayUser(typeof options === "function" ? options() : options);
      try {
        await use(user);
      } finally {
        await user.remove();
      }
    },
  });
}
