// The report of a supply's bulk removal: the accounts still on the server, and why. Never their passwords.
import { XmppError } from "reguser";

/** One account a removal could not delete. */
export interface AccountLeft {
  username: string;
  jid: string;
  /** What went wrong, in words: `could not log in to remove it (not-authorized), and the name is still taken…`. */
  reason: string;
  /** The error behind `reason` (the login's, the removal's or the admin path's). */
  error: Error;
}

/** Accounts listed in the message; the rest are counted (all of them are in `accounts`). */
const LISTED = 10;

/** Some accounts of a user supply could not be removed: they are still on the server, listed in `accounts`. */
export class AccountsLeftError extends XmppError {
  override name = "AccountsLeftError";
  readonly accounts: readonly AccountLeft[];
  constructor(accounts: readonly AccountLeft[], domain: string) {
    const listed = accounts.slice(0, LISTED).map((a) => `${a.jid}: ${a.reason}`);
    const more = accounts.length > LISTED ? `; and ${accounts.length - LISTED} more` : "";
    super(
      `${accounts.length} throwaway account${accounts.length === 1 ? "" : "s"} could not be removed from ${domain} ` +
        `and ${accounts.length === 1 ? "is" : "are"} still there: ${listed.join("; ")}${more}`,
      { cause: accounts[0]?.error },
    );
    this.accounts = accounts;
  }
}
