export * from "./features.js";
export * from "./hash.js";
export * from "./namespaces.js";
export * from "./stream-header.js";
export * from "./xep0004.js";
export * from "./xep0077.js";
export * from "./xep0078.js";
export * from "./xml-chars.js";
