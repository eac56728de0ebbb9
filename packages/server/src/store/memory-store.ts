// The default store: a Map, gone when the process ends.
import type { Account, AccountStore } from "./account-store.js";

export class MemoryStore implements AccountStore {
  protected readonly accounts = new Map<string, Account>();

  get size(): number {
    return this.accounts.size;
  }

  get(username: string): Account | undefined {
    return this.accounts.get(username);
  }

  has(username: string): boolean {
    return this.accounts.has(username);
  }

  put(account: Account): void {
    this.accounts.set(account.username, account);
  }

  delete(username: string): boolean {
    return this.accounts.delete(username);
  }

  usernames(): string[] {
    return [...this.accounts.keys()];
  }
}
