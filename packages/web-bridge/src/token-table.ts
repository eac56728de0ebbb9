// The bridge's tokens and tickets, in memory (its XMPP sessions are in this process too). A token is what login
// returns: opaque, random, expiring, idle-limited; a ticket is what an EventSource may put in a URL: single-use and
// short-lived, so the long-lived token never reaches a URL, a proxy log or the browser history. Both are kept under
// their SHA-256, never as given.
import { createHash, randomBytes } from "node:crypto";

export interface TokenLimits {
  /** ms a token lives (default 8 h). */
  tokenTtlMs: number;
  /** ms a token may go unused, no event stream open, before it ends (default 30 min). */
  idleMs: number;
  /** ms a ticket lives (default 30 s). */
  ticketTtlMs: number;
  /** Most tokens one user holds at once; the oldest goes first (default 20). */
  maxTokensPerUser: number;
}

interface TokenEntry {
  username: string;
  expiresAt: number;
  lastUsed: number;
}

/** The table of one bridge. `now` is its clock. */
export class TokenTable {
  readonly #tokens = new Map<string, TokenEntry>();
  readonly #tickets = new Map<string, { token: string; expiresAt: number }>();
  readonly #limits: TokenLimits;
  readonly #now: () => number;
  readonly #streaming: (username: string) => boolean;

  /** `streaming(username)`: whether the user has an event stream open now (its tokens do not go idle then). */
  constructor(limits: TokenLimits, now: () => number, streaming: (username: string) => boolean = () => false) {
    this.#limits = limits;
    this.#now = now;
    this.#streaming = streaming;
  }

  /** A new token for `username`; the user's oldest goes when over the limit. Returns it and any it displaced. */
  issue(username: string): { token: string; displaced: number } {
    const now = this.#now();
    const token = randomBytes(32).toString("base64url");
    this.#tokens.set(digest(token), { username, expiresAt: now + this.#limits.tokenTtlMs, lastUsed: now });
    const mine = [...this.#tokens].filter(([, entry]) => entry.username === username);
    let displaced = 0;
    for (const [key] of mine.slice(0, Math.max(0, mine.length - this.#limits.maxTokensPerUser))) {
      this.#tokens.delete(key);
      displaced++;
    }
    return { token, displaced };
  }

  /** The user of a live token (and marks it used), or undefined. */
  check(token: unknown): string | undefined {
    if (typeof token !== "string" || token.length === 0 || token.length > 200) return undefined;
    const key = digest(token);
    const entry = this.#tokens.get(key);
    const now = this.#now();
    if (!entry) return undefined;
    if (!this.#live(entry, now)) {
      this.#tokens.delete(key);
      return undefined;
    }
    entry.lastUsed = now;
    return entry.username;
  }

  /** End `token`; true when it was live. */
  revoke(token: unknown): boolean {
    return typeof token === "string" && this.#tokens.delete(digest(token));
  }

  /** End every token of `username` (its XMPP session ended). */
  revokeUser(username: string): void {
    for (const [key, entry] of this.#tokens) if (entry.username === username) this.#tokens.delete(key);
  }

  /** Whether `username` has a live token. */
  hasTokens(username: string): boolean {
    const now = this.#now();
    for (const entry of this.#tokens.values()) {
      if (entry.username === username && this.#live(entry, now)) return true;
    }
    return false;
  }

  /** A single-use ticket for the live `token`'s user. */
  ticket(token: string): string {
    const ticket = randomBytes(24).toString("base64url");
    this.#tickets.set(digest(ticket), { token, expiresAt: this.#now() + this.#limits.ticketTtlMs });
    return ticket;
  }

  /** Use `ticket`: its token's user if both are live; the ticket is gone either way. */
  redeem(ticket: unknown): { username: string; token: string } | undefined {
    if (typeof ticket !== "string" || ticket.length === 0 || ticket.length > 200) return undefined;
    const key = digest(ticket);
    const entry = this.#tickets.get(key);
    this.#tickets.delete(key);
    if (!entry || entry.expiresAt <= this.#now()) return undefined;
    const username = this.check(entry.token);
    return username === undefined ? undefined : { username, token: entry.token };
  }

  /** Drop what expired (bounded work: called on a timer). */
  sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#tickets) if (entry.expiresAt <= now) this.#tickets.delete(key);
    for (const [key, entry] of this.#tokens) if (!this.#live(entry, now)) this.#tokens.delete(key);
  }

  /** Mark every token of `username` used (an event stream is open for it). */
  touchUser(username: string): void {
    const now = this.#now();
    for (const entry of this.#tokens.values()) if (entry.username === username) entry.lastUsed = now;
  }

  get size(): number {
    return this.#tokens.size;
  }

  /** Not expired, and used within idleMs or its user has an event stream open. */
  #live(entry: TokenEntry, now: number): boolean {
    if (entry.expiresAt <= now) return false;
    return entry.lastUsed + this.#limits.idleMs > now || this.#streaming(entry.username);
  }
}

function digest(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}
