// @reguser/stream in a web page (the `browser` condition): the same API, streams over the page's WebSocket only.
export { type DiscoverOptions, discoverWebSocketUrl, WEBSOCKET_LINK_REL } from "./discover.js";
export { openStream } from "./open-stream.browser.js";
export type { OpenStreamOptions, TlsMode } from "./options.js";
export type { StreamStatus } from "./stream-core.js";
export { type StreamTarget, streamDomain, streamTarget } from "./target.js";
export { XmppStream } from "./xmpp-stream.js";
