export {
  CaptchaFailedError,
  CaptchaRequiredError,
  type CaptchaSolver,
  DEFAULT_CAPTCHA_ATTEMPTS,
} from "./captcha.js";
export {
  type ChangePasswordOptions,
  changePassword,
  type PasswordChange,
} from "./change-password.js";
export { inquire } from "./inquire.js";
export { InviteInvalidError, InviteRequiredError } from "./invite.js";
export { checkPassword, passesWithoutTables, preparePassword, type SaslprepPolicy } from "./password-policy.js";
export type { BatchRemoval, Provisioner } from "./provisioner.js";
export {
  MissingFieldsError,
  type NewAccount,
  OutOfBandRegistrationError,
  type RegisterOptions,
  register,
  registrationRequest,
  registrationRequestFor,
} from "./register-account.js";
export { isRegistrationClosed, REGISTRATION_CLOSED } from "./registration-closed.js";
export { removeAccount, SERVER_CLOSE_GRACE_MS } from "./remove-account.js";
export { asThrottle, isThrottle, RegistrationThrottledError } from "./throttle.js";
export { DEFAULT_ZERO_KNOWLEDGE_SEQUENCES, type ZeroKnowledgeChain } from "./zero-knowledge.js";
