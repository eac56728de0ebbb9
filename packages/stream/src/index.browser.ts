// @reguser/stream in a web page (the `browser` condition): the same API, streams over the page's WebSocket only.
export * from "./api.js";
export { openStream } from "./open-stream.browser.js";
