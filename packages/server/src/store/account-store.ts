// The accounts the server keeps: the plaintext password (digest needs it) and the 0k hash chain state.
import type { ZeroKnowledgeState } from "../zero-knowledge.js";

export interface Account {
  readonly username: string;
  /** Plaintext, as jabberd 1.4's mod_auth_plain stored it: digest authentication re-hashes it per stream. */
  readonly password: string;
  /** Other registration fields (name, email…), stored as given. */
  readonly fields: Readonly<Record<string, string>>;
  readonly zeroKnowledge: ZeroKnowledgeState;
}

/** Synchronous on purpose: the server is in-process and every step stays one tick. */
export interface AccountStore {
  readonly size: number;
  get(username: string): Account | undefined;
  has(username: string): boolean;
  /** Create or replace. */
  put(account: Account): void;
  delete(username: string): boolean;
  usernames(): string[];
}
