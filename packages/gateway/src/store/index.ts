// The gateway's state: the GatewayStore contract, its SQLite and Redis stores, and the error both reject with.
export type { AccountRecord, GatewayStore, LinkPurpose, PendingLink, WindowCount } from "./gateway-store.js";
export { type RedisStoreOptions, redisStore } from "./redis-store.js";
export { type SqliteStoreOptions, sqliteStore } from "./sqlite-store.js";
export { GatewayStoreError, GatewayStoreErrorCode } from "./store-error.js";
