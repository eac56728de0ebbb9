// GatewayStore on one SQLite file through better-sqlite3: state for a single gateway instance, no server to run.
import { requireTextOptions } from "@reguser/errors";
import Database from "better-sqlite3";
import { fixedWindow } from "./fixed-window.js";
import type { AccountRecord, GatewayStore, PendingLink, WindowCount } from "./gateway-store.js";
import { openDatabase } from "./sqlite-schema.js";
import { linkFromRow, prepareStatements } from "./sqlite-statements.js";
import { GatewayStoreError, GatewayStoreErrorCode } from "./store-error.js";

export interface SqliteStoreOptions {
  /** The database file, created with its tables when missing; or ":memory:" for a private in-memory database. */
  path: string;
}

/**
 * A store in the SQLite database at `path` (tables created on open, WAL mode for a file). Opening fails at once
 * with a `GatewayStoreError` naming the file. Every method runs synchronously inside its promise; several stores,
 * even in several processes, may share one file. Expired rows are purged a bounded batch at a time by `hit` and
 * `reserveUsername`, the writes that know the time.
 */
export function sqliteStore(options: SqliteStoreOptions): GatewayStore {
  requireTextOptions("sqliteStore", options, { required: ["path"] });
  const { path } = options;
  const db = openDatabase(path);
  const sql = prepareStatements(db);
  const reserve = db.transaction((username: string, id: string, expiresAt: number, now: number) => {
    sql.purge(now);
    return sql.reserve.run(username, id, expiresAt, now).changes > 0;
  });
  const hit = db.transaction((key: string, windowMs: number, start: number, resetAt: number, now: number) => {
    sql.purge(now);
    return sql.hit.get(key, windowMs, start, resetAt)!.count;
  });
  let closed = false;

  /** Runs one operation; a driver error becomes a GatewayStoreError naming the file, anything else stays as it is. */
  function run<T>(operation: string, body: () => T): Promise<T> {
    if (closed) {
      return Promise.reject(
        new GatewayStoreError(GatewayStoreErrorCode.Closed, `${operation}: the SQLite store at ${path} is closed`),
      );
    }
    try {
      return Promise.resolve(body());
    } catch (err) {
      if (!(err instanceof Database.SqliteError)) return Promise.reject(err);
      const message = `${operation} failed in the SQLite store at ${path}: ${err.message} (${err.code}; check that the file is writable, its disk not full, and that no other process holds a long lock on it)`;
      return Promise.reject(new GatewayStoreError(GatewayStoreErrorCode.Failed, message, { cause: err }));
    }
  }

  return {
    putLink: (id: string, link: PendingLink) =>
      run("putLink", () => {
        const { purpose, username, email, name, client, expiresAt } = link;
        sql.putLink.run(id, purpose, username, email, name ?? null, client, expiresAt);
      }),
    peekLink: (id: string, now: number) =>
      run("peekLink", () => {
        const row = sql.peekLink.get(id, now);
        return row && linkFromRow(row);
      }),
    takeLink: (id: string, now: number) =>
      run("takeLink", () => {
        const row = sql.takeLink.get(id, now);
        return row && linkFromRow(row);
      }),
    reserveUsername: (username: string, id: string, expiresAt: number, now: number) =>
      run("reserveUsername", () => reserve(username, id, expiresAt, now)),
    releaseUsername: (username: string, id: string) =>
      run("releaseUsername", () => {
        sql.release.run(username, id);
      }),
    hit: (key: string, windowMs: number, now: number) =>
      run("hit", (): WindowCount => {
        const window = fixedWindow(windowMs, now);
        return { count: hit(key, windowMs, window.start, window.resetAt, now), resetAt: window.resetAt };
      }),
    recordAccount: (username: string, record: AccountRecord) =>
      run("recordAccount", () => {
        sql.recordAccount.run(username, record.email, record.name ?? null);
      }),
    accountOf: (username: string) =>
      run("accountOf", () => {
        const row = sql.accountOf.get(username);
        if (!row) return undefined;
        const record: AccountRecord = { email: row.email };
        if (row.name !== null) record.name = row.name;
        return record;
      }),
    forgetAccount: (username: string) =>
      run("forgetAccount", () => {
        sql.forgetAccount.run(username);
      }),
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
