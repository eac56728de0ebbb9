// A refused admin credential (XEP-0133 login, Openfire secret) told apart from the account's own 401.
import { NotAuthorizedError } from "reguser";

/** Still a `NotAuthorizedError` (401, exit 1); its text says whose credential failed. */
export class AdminCredentialError extends NotAuthorizedError {
  override name = "AdminCredentialError";
  constructor(label: string, cause: NotAuthorizedError) {
    // The cause's message is the provisioner's, secrets already scrubbed; it carries the backend's hint.
    super({ text: `the admin credential was refused (${label}): ${cause.message}`, cause });
  }
}
