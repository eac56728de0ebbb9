export { openStream } from "./open-stream.js";
export type { OpenStreamOptions, TlsMode } from "./options.js";
export { type StreamSettings, XmppStream } from "./xmpp-stream.js";
