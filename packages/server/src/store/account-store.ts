// The accounts the server keeps: the plaintext password (XEP-0078 needs it), the 0k chain and the SCRAM keys.
import type { ScramCredentials } from "../scram/keys.js";
import type { ZeroKnowledgeState } from "../zero-knowledge.js";

export type { ScramCredentials };

/** One account as stored. */
export interface Account {
  readonly username: string;
  /**
   * Plaintext, as jabberd 1.4's mod_auth_plain stored it: jabber:iq:auth plaintext compares it and digest
   * re-hashes it per stream. SASL never reads it. None for an account a zero-knowledge registration made (the
   * client sent only its chain's top): then nothing matches it, and only 0k logs in until a password is set.
   */
  readonly password?: string | undefined;
  /** Other registration fields (name, email…), stored as given. */
  readonly fields: Readonly<Record<string, string>>;
  /** The 0k hash chain (the book's mod_auth_0k). */
  readonly zeroKnowledge: ZeroKnowledgeState;
  /** What SASL (SCRAM-SHA-1 and PLAIN) checks, as Prosody stores it; none when SASLprep prohibits the password. */
  readonly scram?: ScramCredentials | undefined;
}

/** Synchronous on purpose: the server is in-process and every step stays one tick. */
export interface AccountStore {
  readonly size: number;
  /** The account `username`, if it exists. */
  get(username: string): Account | undefined;
  /** Whether the account `username` exists. */
  has(username: string): boolean;
  /** Create or replace. */
  put(account: Account): void;
  /** Remove the account `username`; false when there was none. */
  delete(username: string): boolean;
  /** Every username, in the order the accounts were created. */
  usernames(): string[];
}
