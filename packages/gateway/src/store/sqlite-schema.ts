// The SQLite store's tables, created on open; a file goes into WAL mode so readers never wait for the writer.
import Database from "better-sqlite3";
import { GatewayStoreError, GatewayStoreErrorCode } from "./store-error.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS links (
  id TEXT PRIMARY KEY,
  purpose TEXT NOT NULL,
  username TEXT NOT NULL,
  email TEXT NOT NULL,
  name TEXT,
  client TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS links_expires_at ON links (expires_at);
CREATE TABLE IF NOT EXISTS reservations (
  username TEXT PRIMARY KEY,
  link_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reservations_expires_at ON reservations (expires_at);
CREATE TABLE IF NOT EXISTS hits (
  key TEXT NOT NULL,
  window_ms INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  reset_at INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key, window_ms, window_start)
);
CREATE INDEX IF NOT EXISTS hits_reset_at ON hits (reset_at);
CREATE TABLE IF NOT EXISTS accounts (
  username TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT
);
`;

/** Whether `path` names no file: SQLite's private in-memory (":memory:") or temporary ("") database. */
export function isInMemory(path: string): boolean {
  return path === ":memory:" || path === "";
}

/** Opens (creating if need be) the database at `path` with the store's tables. */
export function openDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    if (!isInMemory(path)) {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    }
    db.exec(SCHEMA);
    return db;
  } catch (err) {
    db?.close();
    throw openFailure(path, err);
  }
}

/**
 * Whether better-sqlite3's native addon failed to load: absent (its loader, `bindings`, found no file), or a file
 * Node could not load (built for another Node.js or platform, truncated).
 */
function isAddonFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    (err as NodeJS.ErrnoException).code === "ERR_DLOPEN_FAILED" ||
    /Could not locate the bindings file|NODE_MODULE_VERSION/.test(err.message)
  );
}

/** The GatewayStoreError for a database that would not open, with what to change. */
export function openFailure(path: string, err: unknown): GatewayStoreError {
  const reason = err instanceof Error ? err.message : String(err);
  const message = isAddonFailure(err)
    ? // Its first line only: the rest lists every path the addon was looked for under.
      `cannot open the SQLite store at ${path}: better-sqlite3's native addon did not load (${reason.split("\n")[0]?.replace(/\s*Tried:$/, "")}). Its install script did not run, or ran for another Node.js: npm 12 skips the install scripts of packages that package.json's "allowScripts" does not approve. Run \`npm install-scripts approve better-sqlite3\`, then \`npm rebuild better-sqlite3\``
    : `cannot open the SQLite store at ${path}: ${reason} (check that its directory exists and is writable, and that the file is an SQLite database)`;
  return new GatewayStoreError(GatewayStoreErrorCode.Unavailable, message, { cause: err });
}
