// Injected by bundle-saslprep.mjs: the `buffer` package's Buffer for every free `Buffer` in @mongodb-js/saslprep.
export { Buffer } from "buffer";
