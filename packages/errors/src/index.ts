export * from "./conditions.js";
export type { XmppErrorJson } from "./error-json.js";
export { InvalidOptionError, requireTextOptions, type TextOptions } from "./invalid-option.js";
export * from "./namespaces.js";
export { REDACTED, RedactedElement, redactElement, scrubText } from "./redact.js";
export * from "./stanza-error.js";
export * from "./stream-conditions.js";
export * from "./stream-error.js";
export * from "./xmpp-error.js";
