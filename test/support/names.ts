// Unique throwaway account names, so suites never collide with each other or with earlier runs.
import { randomBytes } from "node:crypto";

export const uniqueName = (prefix = "u") => `${prefix}${randomBytes(5).toString("hex")}`;
export const strongPassword = () => `pw-${randomBytes(9).toString("base64url")}`;
