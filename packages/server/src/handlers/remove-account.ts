// XEP-0077 §3.2 Entity Cancels an Existing Registration: result, then (as Prosody) the stream ends.
import { ForbiddenError, StreamError } from "@reguser/errors";
import { parseRegistrationRequest } from "@reguser/protocol";
import type { IqHandler, ServerDeps } from "../context.js";
import { TEXT } from "../error-texts.js";

export function removeAccount({ store }: Pick<ServerDeps, "store">): IqHandler {
  return ({ query, session, endAfterReply }) => {
    const username = session.username as string;
    const named = parseRegistrationRequest(query).values.username;
    if (named && named !== username) throw new ForbiddenError({ text: TEXT.forbidden });
    store.delete(username);
    endAfterReply(new StreamError({ condition: "not-authorized", text: "Account deleted" }));
    return undefined;
  };
}
