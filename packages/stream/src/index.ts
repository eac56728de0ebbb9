export * from "./api.js";
export { openStream } from "./open-stream.js";
