export { ensureRegistered } from "./ensure-registered.js";
export { type BulkOptions, DEFAULT_CONCURRENCY, type RegisterManyOptions, registerMany } from "./register-many.js";
export type { BulkProgress, BulkReport, Outcome } from "./report.js";
export type { Accounts } from "./source.js";
export { type AccountCredentials, type UnregisterManyOptions, unregisterMany } from "./unregister-many.js";
