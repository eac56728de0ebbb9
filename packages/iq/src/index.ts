export { assertConfidential, type Confidentiality, isLoopback } from "./confidentiality.js";
export { IqCaller, type IqCallerDeps } from "./iq-caller.js";
export {
  describeIq,
  getPayload,
  type IqOptions,
  type IqRequest,
  type IqSession,
  type QueryOptions,
  setPayload,
} from "./iq-session.js";
