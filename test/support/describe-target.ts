// Run a suite against a target, or say loudly why not; REGUSER_REQUIRE_SERVERS=1 turns a skip into a failure.
import { describe, it } from "vitest";
import type { Target } from "./target.js";

export const serversRequired = process.env.REGUSER_REQUIRE_SERVERS === "1";

/** Anything with a name and a reason it cannot run here: a server target, or a real peer such as Net::Jabber. */
export function describeTarget<T extends Pick<Target, "name" | "unavailable">>(
  target: T,
  suite: (target: T) => void,
): void {
  const missing = target.unavailable();
  if (missing && serversRequired) {
    describe(target.name, () => {
      it("is required (REGUSER_REQUIRE_SERVERS=1) but cannot run", () => {
        throw new Error(missing);
      });
    });
    return;
  }
  if (missing) {
    console.warn(
      `\n*** SKIPPING the ${target.name} suite: ${missing}. CI sets REGUSER_REQUIRE_SERVERS=1 and fails instead. ***\n`,
    );
  }
  describe.skipIf(missing !== undefined)(target.name, () => suite(target));
}
