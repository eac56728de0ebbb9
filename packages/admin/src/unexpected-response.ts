// The reply an admin API never sends by its documentation: whatever the backend, a typed error with the status.
import { ProtocolError } from "@reguser/errors";

/** A reply in no documented shape: an empty body, unknown text, an unexpected status. Never carries the URL. */
export class UnexpectedResponseError extends ProtocolError {
  override name = "UnexpectedResponseError";
  readonly status: number;
  /** The start of the body, secrets removed. */
  readonly body: string;
  constructor(text: string, reply: { status: number; body: string }) {
    super(`${text} (HTTP ${reply.status}${reply.body ? `: ${JSON.stringify(reply.body)}` : ", empty body"})`);
    this.status = reply.status;
    this.body = reply.body;
  }
}
