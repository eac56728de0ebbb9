// What a (re)set password leaves in the store: the plaintext, the 0k chain and the SCRAM keys – each for its own logins.
import { randomUUID } from "node:crypto";
import { type ScramCredentials, scramCredentials } from "./scram/keys.js";
import type { Account } from "./store/account-store.js";
import { type ChainSettings, resetChain } from "./zero-knowledge.js";

/** How new credentials are made: the 0k chain's length and clock, and the SCRAM iteration count. */
export interface PasswordSettings {
  chain: ChainSettings;
  scramIterations: number;
}

/** The parts of an account a password makes. */
export type Credentials = Pick<Account, "password" | "zeroKnowledge" | "scram">;

/** Everything the logins check, for a new password (registration, change, seeded accounts). */
export function credentialsFor(password: string, settings: PasswordSettings): Credentials {
  return {
    password,
    zeroKnowledge: resetChain(password, settings.chain),
    scram: scramFor(password, settings.scramIterations),
  };
}

/** A fresh salt as Prosody makes it (the text of a random UUID), and the keys derived with it. */
export function scramFor(password: string, iterationCount: number): ScramCredentials | undefined {
  return scramCredentials(password, Buffer.from(randomUUID()), iterationCount);
}
