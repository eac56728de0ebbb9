// RFC 4013 SASLprep: a password that SASLprep changes or prohibits could never log in with SASL.
import saslprep from "@mongodb-js/saslprep";
import { PasswordPreparationError } from "@reguser/errors";

/** `refuse` (default): throw before sending; `allow`: send the password exactly as given anyway. */
export type SaslprepPolicy = "refuse" | "allow";

/** Printable ASCII (space to tilde): SASLprep maps, prohibits and reorders none of it. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The SASLprep form of `password`, or the reason it has none. Never echoes the password. */
export function preparePassword(password: string): { prepared: string } | { problem: string } {
  // Most passwords (every generated one) are printable ASCII, which SASLprep keeps as it is: skip the tables.
  if (PRINTABLE_ASCII.test(password)) return { prepared: password };
  try {
    // Unassigned code points (emoji newer than Unicode 3.2) are allowed, as Prosody and ejabberd allow them.
    return { prepared: saslprep(password, { allowUnassigned: true }) };
  } catch (err) {
    // saslprep's own message quotes nothing secret, but keep ours fixed to be sure.
    const kind = /bidi|RandALCat|LCat/i.test(String((err as Error).message))
      ? "mixes left-to-right and right-to-left text"
      : "contains a character SASLprep prohibits (a control or private-use character, say)";
    return { problem: kind };
  }
}

/** Throws `PasswordPreparationError` when the policy is `refuse` and SASLprep would not keep the password as it is. */
export function checkPassword(password: string, policy: SaslprepPolicy = "refuse"): void {
  if (policy === "allow") return;
  if (password === "") throw new PasswordPreparationError("The password is empty");
  const result = preparePassword(password);
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
