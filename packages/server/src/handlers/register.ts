// XEP-0077 as the book's jabberd 1.4 answers it: inquiry, registration (406 and 409 before 501), change, removal.
import {
  ConflictError,
  FeatureNotImplementedError,
  ForbiddenError,
  NotAcceptableError,
  StreamError,
} from "@reguser/errors";
import { buildRegistrationInfo, parseRegistrationRequest } from "@reguser/protocol";
import type { Handler, Request } from "../context.js";

export const registerInquiry: Handler = ({ session, server }) => {
  const { options } = server;
  const inSession = session.username !== undefined;
  if (!inSession && !options.registration) throw new FeatureNotImplementedError({ text: "Not Implemented" });
  return buildRegistrationInfo({
    fields: [...options.fields, "username", "password"],
    values: inSession ? { username: session.username as string } : {},
    instructions: options.instructions,
    registered: inSession,
    zeroKnowledge: false,
  });
};

export const registerSet: Handler = (request) =>
  request.session.username === undefined ? createAccount(request) : changeAccount(request);

function createAccount({ query, server }: Request) {
  const { values } = parseRegistrationRequest(query);
  const { username, password, ...fields } = values;
  // The book's order of checks: missing fields, then a taken name, and only then "registration is off".
  if (!username || !password) throw new NotAcceptableError({ text: "Not Acceptable" });
  if (server.store.has(username)) throw new ConflictError({ text: "Username Not Available" });
  if (!server.options.registration) throw new FeatureNotImplementedError({ text: "Not Implemented" });
  server.store.create(username, password, fields);
  return undefined;
}

function changeAccount({ query, session, server, endAfterReply }: Request) {
  const request = parseRegistrationRequest(query);
  const username = session.username as string;
  if (request.values.username && request.values.username !== username) {
    throw new ForbiddenError({ text: "Only your own account can be changed" });
  }
  if (request.remove) {
    server.store.delete(username);
    // As Prosody does: the result, then the stream ends.
    endAfterReply(new StreamError({ condition: "not-authorized", text: "Account deleted" }));
    return undefined;
  }
  if (!request.values.password) throw new NotAcceptableError({ text: "Not Acceptable" });
  server.store.setPassword(username, request.values.password);
  return undefined;
}
