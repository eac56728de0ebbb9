// Everything @reguser/stream exports but openStream, whose dialer depends on the platform (index.ts for Node,
// index.browser.ts for a web page): one list, so the two entries cannot drift apart.
export { type DiscoverOptions, discoverWebSocketUrl, WEBSOCKET_LINK_REL } from "./discover.js";
export type { OpenStreamOptions, TlsMode } from "./options.js";
export type { StreamStatus } from "./stream-core.js";
export { type StreamTarget, streamDomain, streamTarget } from "./target.js";
export { XmppStream } from "./xmpp-stream.js";
