// RFC 3921 §3 Session Establishment (kept by RFC 6121 as a no-op): old clients still ask for it.
import { NotAuthorizedError } from "@reguser/errors";
import type { IqHandler } from "../context.js";
import { TEXT } from "../error-texts.js";

export function session(): IqHandler {
  return ({ session }) => {
    if (session.username === undefined) throw new NotAuthorizedError({ text: TEXT.unauthorized });
    return undefined;
  };
}
