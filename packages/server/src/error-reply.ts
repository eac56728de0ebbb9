// An error reply whose payload is not the echoed request (XEP-0077 §3.3: the change-password form).
import type { StanzaError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";

export class ErrorReply extends Error {
  override name = "ErrorReply";
  readonly error: StanzaError;
  readonly payload: Element;

  constructor(error: StanzaError, payload: Element) {
    super(error.message, { cause: error });
    this.error = error;
    this.payload = payload;
  }
}
