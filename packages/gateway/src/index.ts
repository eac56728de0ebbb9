// @reguser/gateway: the account gateway (docs/gateway.md).
export type { ApiSuccess } from "./api/handle-api.js";
export {
  type ClientToken,
  type ClientTokenConfig,
  clientTokens,
  GATEWAY_ACTIONS,
  type GatewayAction,
  hashClientToken,
  newClientToken,
  type RateLimit,
} from "./client-tokens.js";
export { createGateway, type Gateway } from "./create-gateway.js";
export { checkEmail } from "./fields/check-email.js";
export { checkName } from "./fields/check-name.js";
export { checkUsername } from "./fields/check-username.js";
export { GATEWAY_ERRORS, GatewayError, type GatewayErrorCode } from "./gateway-error.js";
export type { GatewayEvent, GatewayEventType } from "./gateway-event.js";
export type { GatewayOptions } from "./gateway-options.js";
export { type GatewayServerOptions, gatewayServer } from "./http-server.js";
export { type Mailer, type OutgoingMail, type SmtpMailerOptions, smtpMailer } from "./mail/mailer.js";
export {
  DEFAULT_TEMPLATES,
  type MailTemplate,
  type MailTemplates,
  renderMail,
  type TemplateValues,
} from "./mail/templates.js";
export { DEFAULT_RATE_LIMITS, type RateLimits } from "./rate-limits.js";
export * from "./store/index.js";
