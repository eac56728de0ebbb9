export { strongPassword, uniqueUsername } from "./credentials.js";
export {
  createThrowawayUser,
  RegistrationClosedError,
  type ThrowawayOptions,
  type ThrowawayUser,
} from "./throwaway-user.js";
export { createUserPool, type PoolOptions, type UserPool } from "./user-pool.js";
