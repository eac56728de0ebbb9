export type { Session } from "./context.js";
export { AUTH_METHODS, type ServerAuthMethod, type ServerOptions } from "./options.js";
export { type EmbeddedServer, startServer, type Users } from "./start-server.js";
