// The public surface of @reguser/server: startServer, its options, the stores, the 0k state functions, the sessions.
export type { Captchas, IssuedCaptcha } from "./captchas.js";
export type { Session } from "./context.js";
export { ErrorReply } from "./error-reply.js";
export { TEXT as ERROR_TEXTS } from "./error-texts.js";
export type { Invites, NewInvite } from "./invites.js";
export {
  AUTH_METHODS,
  BOOK_INSTRUCTIONS,
  CAPTCHA_FORM_TYPES,
  type CaptchaFormType,
  type CaptchaOptions,
  DEFAULT_CAPTCHA_TTL_MS,
  DEFAULT_SCRAM_ITERATIONS,
  type InviteOptions,
  type InviteSeed,
  REGISTRATION_FORMS,
  RESOURCE_CONFLICTS,
  type RegistrationForm,
  type ResourceConflict,
  SASL_MECHANISMS,
  type SaslMechanism,
  type SeedAccount,
  type ServerAuthMethod,
  type ServerOptions,
  type TlsCredentials,
} from "./options.js";
export type { OnlineSessions } from "./sessions/online-sessions.js";
export { type EmbeddedServer, startServer } from "./start-server.js";
export type { Account, AccountStore, ScramCredentials } from "./store/account-store.js";
export { JsonFileStore } from "./store/json-file-store.js";
export { MemoryStore } from "./store/memory-store.js";
export type { Users, UserView } from "./users.js";
export { usersProvisioner } from "./users-provisioner.js";
export { type ChainSettings, chainOffer, resetChain, spendHash, type ZeroKnowledgeState } from "./zero-knowledge.js";
