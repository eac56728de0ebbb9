// `server.users`: what tests may look at and set up, without secrets (no password, no hash).
import { credentialsFor, type PasswordSettings } from "./credentials.js";
import type { AccountStore } from "./store/account-store.js";

/** One account as tests may see it. */
export interface UserView {
  username: string;
  fields: Readonly<Record<string, string>>;
  /** The 0k chain: the stored N (the next auth IQ-get offers N − 1; 0 = used up) and the token; the hash stays inside. */
  zeroKnowledge: { sequence: number; token: string };
}

/** The accounts, for tests to look at and set up. */
export interface Users {
  readonly size: number;
  /** Whether the account `username` exists. */
  has(username: string): boolean;
  /** The account `username` as tests see it (fields and 0k state; no password, hash or keys), if it exists. */
  get(username: string): UserView | undefined;
  /** Create or replace an account (a new 0k chain and SCRAM keys), as a registration would. */
  add(account: { username: string; password: string; fields?: Record<string, string> }): void;
  /** Remove the account `username`, as an unregistration would; false when there was none. */
  delete(username: string): boolean;
  /** Every username, in the order the accounts were created. */
  usernames(): string[];
}

/** `server.users` over a store. */
export function usersOf(store: AccountStore, passwords: PasswordSettings): Users {
  return {
    get size() {
      return store.size;
    },
    has: (username) => store.has(username),
    get: (username) => {
      const account = store.get(username);
      if (!account) return undefined;
      const { sequence, token } = account.zeroKnowledge;
      return { username, fields: { ...account.fields }, zeroKnowledge: { sequence, token } };
    },
    add: ({ username, password, fields = {} }) =>
      store.put({ username, fields, ...credentialsFor(password, passwords) }),
    delete: (username) => store.delete(username),
    usernames: () => store.usernames(),
  };
}
