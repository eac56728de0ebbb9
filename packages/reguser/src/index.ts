// The facade: everything a user needs, from one import.
export * from "@reguser/auth";
export * from "@reguser/bulk";
export * from "@reguser/errors";
export type { IqOptions, IqSession, QueryOptions } from "@reguser/iq";
export {
  type DataForm,
  type FormField,
  type RegistrationInfo,
  type StreamFeatures,
  sha1hex,
  type ZeroKnowledgeOffer,
} from "@reguser/protocol";
export * from "@reguser/register";
export * from "@reguser/stream";
