export { type DiscoverOptions, discoverWebSocketUrl, WEBSOCKET_LINK_REL } from "./discover.js";
export { openStream } from "./open-stream.js";
export type { OpenStreamOptions, TlsMode } from "./options.js";
export type { StreamStatus } from "./stream-core.js";
export { type StreamTarget, streamDomain, streamTarget } from "./target.js";
export { XmppStream } from "./xmpp-stream.js";
