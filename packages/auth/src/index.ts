export { digestPassword, zeroKnowledgeHash } from "@reguser/protocol";
export { type AuthMethods, authMethods, authMethodsOf } from "./auth-methods.js";
export { type AuthenticateOptions, authenticate, type Credentials, type Session } from "./authenticate.js";
export { AUTH_METHODS, type AuthMethod, chooseMethod, offeredMethods } from "./choose-method.js";
