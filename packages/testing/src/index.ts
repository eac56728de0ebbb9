export { type AccountLeft, AccountsLeftError } from "./accounts-left-error.js";
export { strongPassword, uniqueUsername } from "./credentials.js";
export {
  createThrowawayUser,
  RegistrationClosedError,
  type ThrowawayOptions,
  type ThrowawayUser,
} from "./throwaway-user.js";
export { createUserPool, type PoolOptions, type UserPool } from "./user-pool.js";
export {
  createUserSupply,
  type RemovalSummary,
  type SupplyOptions,
  type UserSupply,
} from "./user-supply.js";
