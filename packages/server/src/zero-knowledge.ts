// The book's mod_auth_0k (ch. 7, "Zero-knowledge authentication method"): hash_N, N and a token per user.
import { DEFAULT_MAX_SEQUENCE, type ZeroKnowledgeOffer } from "@reguser/protocol";
import { chainHashSync, sha1hexSync } from "./sha1.js";

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
  return { token, sequence, hash: chainHashSync(password, token, sequence) };
}

/** What the auth IQ-get offers: N − 1 (the client hashes once less); nothing once N reaches 0. */
export function chainOffer(state: ZeroKnowledgeState): ZeroKnowledgeOffer | undefined {
  return state.sequence > 0 ? { sequence: state.sequence - 1, token: state.token } : undefined;
}

/** sha1(received) must equal hash_N; then the received hash_{N−1} is kept and N decremented. */
export function spendHash(state: ZeroKnowledgeState, received: string): ZeroKnowledgeState | undefined {
  if (state.sequence <= 0 || sha1hexSync(received.trim().toLowerCase()) !== state.hash) return undefined;
  return { token: state.token, sequence: state.sequence - 1, hash: received.trim().toLowerCase() };
}

/**
 * The longest chain a client may register: a reguser client refuses to hash more rounds than this at login, so a
 * longer chain would lock its account out.
 */
export const MAX_CLIENT_SEQUENCE = DEFAULT_MAX_SEQUENCE;

/** What a zero-knowledge registration carries instead of a password: the top of a chain the client made. */
export interface ClientChain {
  hash?: string | undefined;
  token?: string | undefined;
  sequence?: string | undefined;
}

// The token comes back in every auth offer, which readers trim: no whitespace (nor controls, surrogates, U+FFFE/F).
const TOKEN = /^[^\s\p{Cc}\p{Cs}\uFFFE\uFFFF]+$/u;

/**
 * The state of a chain the client made (jabberd 1.4's mod_auth_0k registration): hash_N, token and N exactly as a
 * chain made by `resetChain`, so the logins need nothing new. Undefined when a part is missing or malformed: the hash
 * 40 lowercase hex digits, the token 1–1023 bytes without whitespace or controls, N a whole number from 1 (N = 0
 * would be used up already) to `MAX_CLIENT_SEQUENCE`.
 */
export function clientChain({ hash, token, sequence }: ClientChain): ZeroKnowledgeState | undefined {
  const top = hash?.trim();
  const n = sequence?.trim();
  if (top === undefined || !/^[0-9a-f]{40}$/.test(top)) return undefined;
  if (token === undefined || !TOKEN.test(token) || Buffer.byteLength(token, "utf8") > 1023) return undefined;
  if (n === undefined || !/^\d{1,9}$/.test(n)) return undefined;
  const count = Number(n);
  if (count < 1 || count > MAX_CLIENT_SEQUENCE) return undefined;
  return { token, sequence: count, hash: top };
}
