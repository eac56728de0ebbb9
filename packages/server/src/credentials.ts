// What a (re)set password leaves in the store: the plaintext, the 0k chain and the SCRAM keys – each for its own
// logins; and what a zero-knowledge registration leaves: the client's chain alone.
import { randomUUID } from "node:crypto";
import { type ScramCredentials, scramCredentials } from "./scram/keys.js";
import type { Account, AccountStore } from "./store/account-store.js";
import { type ChainSettings, resetChain, type ZeroKnowledgeState } from "./zero-knowledge.js";

/** How new credentials are made: the 0k chain's length and clock, and the SCRAM iteration count. */
export interface PasswordSettings {
  chain: ChainSettings;
  scramIterations: number;
}

/** The parts of an account a password makes. */
export type Credentials = Pick<Account, "password" | "zeroKnowledge" | "scram">;

/**
 * Everything the logins check, for a new password (registration, change, seeded accounts). The SCRAM keys are
 * left to the first SASL login (`scramKeys`): PBKDF2 costs milliseconds, and registering thousands of accounts
 * in a test must not pay it for logins that never come. A changed password drops the old keys.
 */
export function credentialsFor(password: string, settings: PasswordSettings): Credentials {
  return { password, zeroKnowledge: resetChain(password, settings.chain), scram: undefined };
}

/**
 * The credentials of a zero-knowledge registration: the client's chain and nothing else. No password means no
 * plaintext, digest or SASL login (no SCRAM keys can be derived): only 0k, until a password change sets one. The
 * password is written as undefined so that it replaces one an existing account had (a reset invite).
 */
export function chainCredentials(chain: ZeroKnowledgeState): Credentials {
  return { password: undefined, zeroKnowledge: chain, scram: undefined };
}

/**
 * The account's SCRAM keys, derived and stored on first use; none for an unknown user, a prohibited password or an
 * account without a password.
 */
export function scramKeys(
  store: AccountStore,
  username: string,
  settings: PasswordSettings,
): ScramCredentials | undefined {
  const account = store.get(username);
  if (!account) return undefined;
  if (account.scram) return account.scram;
  const scram = scramFor(account.password, settings.scramIterations);
  if (scram) store.put({ ...account, scram });
  return scram;
}

/**
 * A fresh salt as Prosody makes it (the text of a random UUID), and the keys derived with it; none without a password
 * (a zero-knowledge account: nothing to derive from).
 */
export function scramFor(password: string | undefined, iterationCount: number): ScramCredentials | undefined {
  if (password === undefined) return undefined;
  return scramCredentials(password, Buffer.from(randomUUID()), iterationCount);
}
