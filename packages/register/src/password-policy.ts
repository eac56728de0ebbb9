// RFC 4013 SASLprep: a password that SASLprep changes or prohibits could never log in with SASL. Printable ASCII,
// which it keeps as it is, needs no tables; the tables (@mongodb-js/saslprep) load only for other passwords, so a
// web page registering ASCII passwords never loads them. In a page they come from dist/saslprep.browser.js, bundled
// with the `buffer` package where they read Node's Buffer (scripts/bundle-saslprep.mjs, docs/websocket.md).
import { PasswordPreparationError } from "@reguser/errors";

/** `refuse` (default): throw before sending; `allow`: send the password exactly as given anyway. */
export type SaslprepPolicy = "refuse" | "allow";

/** Printable ASCII (space to tilde): SASLprep maps, prohibits and reorders none of it. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * True when `password` passes `policy` without SASLprep's tables (anything with `allow`, non-empty printable ASCII);
 * false when the tables must decide (`checkPassword`). Throws `PasswordPreparationError` for an empty password.
 */
export function passesWithoutTables(password: string, policy: SaslprepPolicy = "refuse"): boolean {
  if (policy === "allow") return true;
  if (password === "") throw new PasswordPreparationError("The password is empty");
  return PRINTABLE_ASCII.test(password);
}

/** The SASLprep form of `password`, or the reason it has none. Never echoes the password. */
export async function preparePassword(password: string): Promise<{ prepared: string } | { problem: string }> {
  // Most passwords (every generated one) are printable ASCII, which SASLprep keeps as it is: skip the tables.
  if (PRINTABLE_ASCII.test(password)) return { prepared: password };
  const saslprep = await loadSaslprep();
  try {
    // Unassigned code points (emoji newer than Unicode 3.2) are allowed, as Prosody and jabberd2 allow them; ejabberd
    // refuses them, and its error says why (docs/traps.md#trap-9).
    return { prepared: saslprep(password, { allowUnassigned: true }) };
  } catch (err) {
    // saslprep's own message quotes nothing secret, but keep ours fixed to be sure.
    const kind = /bidi|RandALCat|LCat/i.test(String((err as Error).message))
      ? "mixes left-to-right and right-to-left text"
      : "contains a character SASLprep prohibits (a control or private-use character, say)";
    return { problem: kind };
  }
}

/** Rejects with `PasswordPreparationError` when the policy is `refuse` and SASLprep would not keep the password. */
export async function checkPassword(password: string, policy: SaslprepPolicy = "refuse"): Promise<void> {
  if (passesWithoutTables(password, policy)) return;
  const result = await preparePassword(password);
  if ("problem" in result) {
    throw new PasswordPreparationError(`The password ${result.problem}; servers using SASL could never accept it`);
  }
  if (result.prepared !== password) {
    throw new PasswordPreparationError(
      "SASLprep would change this password (non-ASCII spaces, soft hyphens or compatibility characters): " +
        "it could not log in with SASL. Choose another, or pass saslprep: 'allow' to send it as it is",
    );
  }
}

type Saslprep = (input: string, options?: { allowUnassigned?: boolean }) => string;

/** The tables, loaded on first need (the module system keeps them after). */
async function loadSaslprep(): Promise<Saslprep> {
  try {
    const loaded = (await import("#saslprep")) as unknown as { default: Saslprep };
    return loaded.default;
  } catch (err) {
    throw new PasswordPreparationError(
      "SASLprep's tables could not be loaded (@mongodb-js/saslprep, or @reguser/register's dist/saslprep.browser.js " +
        "in a page): choose a password of printable ASCII, or pass saslprep: 'allow' to send it as it is",
      { cause: err },
    );
  }
}
