// @reguser/test-kit: the test helpers the root suites (test/) and the packages' own tests (packages/*/test) share.
export { type EmbeddedStreams, embeddedStreams } from "./embedded-streams.js";
export { fuzzParameters, fuzzTimeout } from "./fuzz-settings.js";
export { STANZAS_NS, STREAMS_NS, TLS_NS } from "./namespaces.js";
export {
  greet,
  HEADER_1_0,
  LEGACY_HEADER,
  NO_TLS_FEATURES,
  type Script,
  type ScriptedConnection,
  type ScriptedServer,
  scriptedServer,
} from "./scripted-server.js";
export {
  type Ending,
  type Mutation,
  mutate,
  OPENINGS,
  REPLIES,
  render,
  type Scenario,
  type Step,
  scenario,
  split,
  type Turn,
} from "./server-model.js";
export { type SmtpSink, type SunkMail, startSmtpSink } from "./smtp-sink.js";
export { makeSelfSigned, type PemPair, type SelfSigned, selfSignedPem } from "./tls.js";
