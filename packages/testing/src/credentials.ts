// Names that never collide and passwords nobody guesses, from Node's CSPRNG.
import { randomBytes } from "node:crypto";

/** `prefix` + 12 hex digits (48 random bits): collisions are negligible even across parallel suites. */
export function uniqueUsername(prefix = "test"): string {
  return `${prefix}${randomBytes(6).toString("hex")}`;
}

/** 24 random bytes, base64url: ASCII only, so SASLprep leaves it alone. */
export function strongPassword(): string {
  return randomBytes(24).toString("base64url");
}
