export { type CreateAccountOptions, type CreatedAccount, createAccount } from "./create-account.js";
export { ensureRegistered } from "./ensure-registered.js";
export { DEFAULT_ADMIN_CONCURRENCY, type ProvisionManyOptions, provisionMany } from "./provision-many.js";
export { type RedeemedInvite, type RedeemInviteOptions, redeemInvite } from "./redeem-invite.js";
export { type BulkOptions, DEFAULT_CONCURRENCY, type RegisterManyOptions, registerMany } from "./register-many.js";
export { type RemoveManyOptions, removeMany } from "./remove-many.js";
export type { BulkProgress, BulkReport, Outcome } from "./report.js";
export type { Accounts } from "./source.js";
export type { OnThrottle, ThrottleOptions } from "./throttle-gate.js";
