export { registrationRequest } from "@reguser/register";
export { changePassword } from "./change-password.js";
export { type IqAuthOptions, type IqAuthPlugin, iqAuth } from "./iq-auth.js";
export { type ClientSessionOptions, clientSession } from "./iq-session.js";
export { addLegacyCondition, legacyErrors } from "./legacy-errors.js";
export { MAX_SCRAM_ITERATIONS, nativeScram, type ScramMechanismClass, useNativeScram } from "./native-scram.js";
export { type RegisterOnStreamOptions, registerOnStream } from "./register-on-stream.js";
export { type RegisterThenLoginOptions, registerThenLogin } from "./register-then-login.js";
export { removeAccount } from "./remove-account.js";
export { type IqRequest, type RequestOptions, request } from "./request.js";
export { hideSaslOffers, stripSasl } from "./sasl-gate.js";
export { type SaslLoginOptions, saslLogin } from "./sasl-login.js";
export { chooseSaslMechanism, type MechanismContext } from "./sasl-mechanism.js";
export { streamOptionsFromService } from "./stream-options.js";
export { toTypedError } from "./typed-error.js";
export type {
  CredentialsCallback,
  XmppClient,
  XmppClientEvents,
  XmppClientOptions,
  XmppFeatureContext,
  XmppJid,
} from "./xmppjs-types.js";
