export {
  type AccountSession,
  type ChangePasswordOptions,
  changePassword,
  type PasswordChange,
} from "./change-password.js";
export { inquire, lastInquiry } from "./inquire.js";
export { checkPassword, preparePassword, type SaslprepPolicy } from "./password-policy.js";
export {
  buildRegistration,
  MissingFieldsError,
  type NewAccount,
  OutOfBandRegistrationError,
  type RegisterOptions,
  register,
  registrationQuery,
} from "./register-account.js";
export { isRegistrationClosed, REGISTRATION_CLOSED } from "./registration-closed.js";
export { unregister } from "./unregister.js";
