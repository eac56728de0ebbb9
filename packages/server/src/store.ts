// The accounts: plaintext password (digest needs it) and the zero-knowledge state, in memory.
import { sha1hex, zeroKnowledgeHash } from "@reguser/protocol";

export interface ZeroKnowledgeState {
  token: string;
  /** How many hashes are left: the server offers sequence − 1 next. */
  sequence: number;
  /** hash_N: zeroKnowledgeHash(password, token, sequence). */
  hash: string;
}

export interface Account {
  username: string;
  password: string;
  fields: Record<string, string>;
  zeroKnowledge: ZeroKnowledgeState;
}

export class MemoryStore {
  readonly #accounts = new Map<string, Account>();
  readonly #sequences: number;
  readonly #now: () => number;

  constructor(sequences: number, now: () => number) {
    this.#sequences = sequences;
    this.#now = now;
  }

  get size(): number {
    return this.#accounts.size;
  }

  get(username: string): Account | undefined {
    return this.#accounts.get(username);
  }

  has(username: string): boolean {
    return this.#accounts.has(username);
  }

  create(username: string, password: string, fields: Record<string, string>): Account {
    const account = { username, password, fields, zeroKnowledge: this.#freshChain(password) };
    this.#accounts.set(username, account);
    return account;
  }

  /** A password change starts a new hash chain (the book: 0k data is set up again). */
  setPassword(username: string, password: string): void {
    const account = this.#accounts.get(username);
    if (!account) return;
    account.password = password;
    account.zeroKnowledge = this.#freshChain(password);
  }

  delete(username: string): boolean {
    return this.#accounts.delete(username);
  }

  /** The book's mod_auth_0k check: sha1(received) == stored, then store the received hash, one fewer left. */
  spendHash(username: string, received: string): boolean {
    const zk = this.#accounts.get(username)?.zeroKnowledge;
    if (!zk || zk.sequence <= 0 || sha1hex(received) !== zk.hash) return false;
    zk.hash = received;
    zk.sequence -= 1;
    return true;
  }

  #freshChain(password: string): ZeroKnowledgeState {
    const token = Math.floor(this.#now() / 1000)
      .toString(16)
      .toUpperCase();
    const sequence = this.#sequences;
    return { token, sequence, hash: zeroKnowledgeHash(password, token, sequence, { maxSequence: sequence }) };
  }
}
