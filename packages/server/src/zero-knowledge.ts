// The book's mod_auth_0k (ch. 7, "Zero-knowledge authentication method"): hash_N, N and a token per user.
import { sha1hex, type ZeroKnowledgeOffer, zeroKnowledgeHash } from "@reguser/protocol";

export interface ZeroKnowledgeState {
  /** Hex Unix time of the last (re)set, as jabberd made it. */
  readonly token: string;
  /** N: how many times `hash` is hashed past sha1(sha1(password) + token). */
  readonly sequence: number;
  /** hash_N = zeroKnowledgeHash(password, token, N). */
  readonly hash: string;
}

export interface ChainSettings {
  /** N after a (re)set: jabberd's default 500. */
  sequences: number;
  /** The clock (ms since epoch) the token is made from: the hex Unix time at a reset. */
  now: () => number;
}

/** A new chain for a new password (registration, change). */
export function resetChain(password: string, settings: ChainSettings): ZeroKnowledgeState {
  const token = Math.floor(settings.now() / 1000)
    .toString(16)
    .toUpperCase();
  const sequence = settings.sequences;
  return { token, sequence, hash: zeroKnowledgeHash(password, token, sequence, { maxSequence: sequence }) };
}

/** What the auth IQ-get offers: N − 1 (the client hashes once less); nothing once N reaches 0. */
export function chainOffer(state: ZeroKnowledgeState): ZeroKnowledgeOffer | undefined {
  return state.sequence > 0 ? { sequence: state.sequence - 1, token: state.token } : undefined;
}

/** sha1(received) must equal hash_N; then the received hash_{N−1} is kept and N decremented. */
export function spendHash(state: ZeroKnowledgeState, received: string): ZeroKnowledgeState | undefined {
  if (state.sequence <= 0 || sha1hex(received.trim().toLowerCase()) !== state.hash) return undefined;
  return { token: state.token, sequence: state.sequence - 1, hash: received.trim().toLowerCase() };
}
