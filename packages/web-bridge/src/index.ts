// @reguser/web-bridge: REST login and Server-Sent Events for web pages, over any XMPP server (docs/web-bridge.md).
export { BRIDGE_ERRORS, BridgeError, type BridgeErrorCode } from "./bridge-error.js";
export type { BridgeEvent, ChatEvent, ConnectEvent, DroppedEvent, PresenceEvent } from "./bridge-event.js";
export type { BridgeLogEvent, WebBridgeOptions } from "./bridge-options.js";
export { createWebBridge, type WebBridge } from "./create-bridge.js";
export { EXAMPLE_PAGE } from "./example-page.js";
export type { XmppTarget } from "./xmpp-login.js";
