// Accounts in one JSON file so they survive restarts; every change rewrites it atomically (temp file + rename).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Account } from "./account-store.js";
import { MemoryStore } from "./memory-store.js";

interface FileShape {
  version: 1;
  accounts: Account[];
}

/** The file holds plaintext passwords, 0k state and SCRAM keys (mode 0600): test data only. */
export class JsonFileStore extends MemoryStore {
  readonly path: string;

  constructor(path: string) {
    super();
    this.path = path;
    if (!existsSync(path)) return;
    const data = JSON.parse(readFileSync(path, "utf8")) as Partial<FileShape>;
    if (data.version !== 1 || !Array.isArray(data.accounts)) {
      throw new Error(`${path} is not a @reguser/server account file (version 1)`);
    }
    // An account without SCRAM keys gets them at its first SASL login, as Prosody upgrades on login. One without a
    // password (a zero-knowledge registration) was written without the key, and reads back as undefined.
    for (const account of data.accounts) this.accounts.set(account.username, account);
  }

  override put(account: Account): void {
    super.put(account);
    this.#save();
  }

  override delete(username: string): boolean {
    const deleted = super.delete(username);
    if (deleted) this.#save();
    return deleted;
  }

  #save(): void {
    const data: FileShape = { version: 1, accounts: [...this.accounts.values()] };
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.path);
  }
}
