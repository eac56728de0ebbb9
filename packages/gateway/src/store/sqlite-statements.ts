// The SQLite store's statements, prepared once per database: each store method is one statement or one transaction.
import type Database from "better-sqlite3";
import type { LinkPurpose, PendingLink } from "./gateway-store.js";

/** Expired rows removed per table by one purge: enough to keep up, never a long pause. */
export const PURGE_BATCH = 100;

export interface LinkRow {
  purpose: string;
  username: string;
  email: string;
  name: string | null;
  client: string;
  expires_at: number;
}

type Statement<Params extends unknown[], Row = unknown> = Database.Statement<Params, Row>;
type LinkParams = [purpose: LinkPurpose, username: string, email: string, name: string | null, client: string];

export interface Statements {
  putLink: Statement<[id: string, ...LinkParams, expiresAt: number]>;
  peekLink: Statement<[id: string, now: number], LinkRow>;
  takeLink: Statement<[id: string, now: number], LinkRow>;
  reserve: Statement<[username: string, id: string, expiresAt: number, now: number]>;
  release: Statement<[username: string, id: string]>;
  hit: Statement<[key: string, windowMs: number, start: number, resetAt: number], { count: number }>;
  recordAccount: Statement<[username: string, email: string, name: string | null]>;
  accountOf: Statement<[username: string], { email: string; name: string | null }>;
  forgetAccount: Statement<[username: string]>;
  /** Removes up to PURGE_BATCH expired rows from each table. */
  purge(now: number): void;
}

const LINK_COLUMNS = "purpose, username, email, name, client, expires_at";

export function prepareStatements(db: Database.Database): Statements {
  const purgeFrom = (table: string, column: string) =>
    db.prepare<[number, number]>(
      `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} <= ? LIMIT ?)`,
    );
  const purges = [
    purgeFrom("links", "expires_at"),
    purgeFrom("reservations", "expires_at"),
    purgeFrom("hits", "reset_at"),
  ];
  return {
    putLink: db.prepare(`INSERT OR REPLACE INTO links (id, ${LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    peekLink: db.prepare(`SELECT ${LINK_COLUMNS} FROM links WHERE id = ? AND expires_at > ?`),
    takeLink: db.prepare(`DELETE FROM links WHERE id = ? AND expires_at > ? RETURNING ${LINK_COLUMNS}`),
    // Inserts, renews the same link's hold, or takes over an expired one; another link's live hold changes nothing.
    reserve: db.prepare(
      `INSERT INTO reservations (username, link_id, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (username) DO UPDATE SET link_id = excluded.link_id, expires_at = excluded.expires_at
       WHERE reservations.link_id = excluded.link_id OR reservations.expires_at <= ?`,
    ),
    release: db.prepare("DELETE FROM reservations WHERE username = ? AND link_id = ?"),
    hit: db.prepare(
      `INSERT INTO hits (key, window_ms, window_start, reset_at, count) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (key, window_ms, window_start) DO UPDATE SET count = count + 1 RETURNING count`,
    ),
    recordAccount: db.prepare("INSERT OR REPLACE INTO accounts (username, email, name) VALUES (?, ?, ?)"),
    accountOf: db.prepare("SELECT email, name FROM accounts WHERE username = ?"),
    forgetAccount: db.prepare("DELETE FROM accounts WHERE username = ?"),
    purge(now: number): void {
      for (const purge of purges) purge.run(now, PURGE_BATCH);
    },
  };
}

export function linkFromRow(row: LinkRow): PendingLink {
  const link: PendingLink = {
    purpose: row.purpose as LinkPurpose,
    username: row.username,
    email: row.email,
    client: row.client,
    expiresAt: row.expires_at,
  };
  if (row.name !== null) link.name = row.name;
  return link;
}
