export { BatchRefusedError } from "./delete-user-answer.js";
export { DEFAULT_BATCH_SIZE, DEFAULT_MAX_SUBMIT_BYTES } from "./jid-batches.js";
export {
  IllegalArgumentError,
  type NamedInit as OpenfireNamedErrorInit,
  OpenfireConfigurationError,
  OpenfireError,
  type OpenfireErrorInit,
  SharedGroupError,
  UnexpectedResponseError,
  UserServiceDisabledError,
} from "./openfire/errors.js";
export {
  DEFAULT_TIMEOUT as OPENFIRE_DEFAULT_TIMEOUT,
  MAX_REPLY_BYTES as OPENFIRE_MAX_REPLY_BYTES,
} from "./openfire/http.js";
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
export {
  ADMIN_NODES,
  INVITE_NODES,
  type Xep0133Options,
  type Xep0133Provisioner,
  xep0133Provisioner,
} from "./xep0133.js";
