export { BatchRefusedError } from "./delete-user-answer.js";
export { EjabberdApiError, type EjabberdApiErrorInit, EjabberdConfigurationError } from "./ejabberd/errors.js";
export { type EjabberdHttpApiProvisioner, ejabberdHttpApiProvisioner } from "./ejabberd/http-api.js";
export { EJABBERD_API_PATH, type EjabberdHttpApiOptions } from "./ejabberd/options.js";
export {
  DEFAULT_TIMEOUT as OPENFIRE_DEFAULT_TIMEOUT,
  MAX_REPLY_BYTES as OPENFIRE_MAX_REPLY_BYTES,
} from "./http.js";
export { type InBandOptions, inBandProvisioner } from "./in-band.js";
export { DEFAULT_BATCH_SIZE, DEFAULT_MAX_SUBMIT_BYTES } from "./jid-batches.js";
export {
  IllegalArgumentError,
  type NamedInit as OpenfireNamedErrorInit,
  OpenfireConfigurationError,
  OpenfireError,
  type OpenfireErrorInit,
  SharedGroupError,
  UserServiceDisabledError,
} from "./openfire/errors.js";
export {
  type CommonOptions as OpenfireRestApiBaseOptions,
  type OpenfireRestApiOptions,
  type OpenfireRestApiProvisioner,
  openfireRestApiProvisioner,
  REST_API_PATH,
} from "./openfire/rest-api.js";
export { type ErrorEntity, parseErrorEntity } from "./openfire/rest-api-errors.js";
export { ROSTER_SUBSCRIPTION, type RosterItem, type RosterSubscription, type UserUpdate } from "./openfire/roster.js";
export {
  type OpenfireUserServiceOptions,
  type OpenfireUserServiceProvisioner,
  openfireUserServiceProvisioner,
  USER_SERVICE_PATHS,
  type UserServiceCreateOptions,
  type UserServiceUpdate,
} from "./openfire/user-service.js";
export { parseUserServiceReply, type UserServiceReply } from "./openfire/user-service-reply.js";
export { AdminCommandError } from "./run-command.js";
export { UnexpectedResponseError } from "./unexpected-response.js";
export {
  ADMIN_NODES,
  INVITE_NODES,
  type Xep0133Options,
  type Xep0133Provisioner,
  xep0133Provisioner,
} from "./xep0133.js";
