// The JSON the Redis store keeps, read back with a check that it is what the store wrote.
import type { AccountRecord, PendingLink } from "./gateway-store.js";
import { GatewayStoreError, GatewayStoreErrorCode } from "./store-error.js";

interface Kinds {
  link: PendingLink;
  account: AccountRecord;
}

/** Fields each kind must have, with their types. */
const REQUIRED: { [K in keyof Kinds]: Record<string, "string" | "number"> } = {
  link: { purpose: "string", username: "string", email: "string", client: "string", expiresAt: "number" },
  account: { email: "string" },
};

/** The value read from a key (null: no such key), parsed; a GatewayStoreError if the key holds something else. */
export function readJson<K extends keyof Kinds>(kind: K, prefix: string, text: string | null): Kinds[K] | undefined {
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {}
  const fields = REQUIRED[kind];
  const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  if (record && Object.entries(fields).every(([name, type]) => typeof record[name] === type)) return value as Kinds[K];
  throw new GatewayStoreError(
    GatewayStoreErrorCode.Failed,
    `a ${kind} key under "${prefix}" holds a value the gateway did not write (check that no other program uses keyPrefix "${prefix}")`,
  );
}
