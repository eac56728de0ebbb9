export * from "./conditions.js";
export * from "./namespaces.js";
export { REDACTED, redactElement, scrubText } from "./redact.js";
export * from "./stanza-error.js";
export * from "./stream-conditions.js";
export * from "./stream-error.js";
export * from "./xmpp-error.js";
