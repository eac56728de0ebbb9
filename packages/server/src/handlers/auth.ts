// XEP-0078 with the book's three methods: plaintext, digest over the stream id, and the 0k hash chain.
import { ConflictError, NotAcceptableError, NotAuthorizedError } from "@reguser/errors";
import { buildAuthOffer, digestPassword, parseAuthRequest } from "@reguser/protocol";
import type { Handler } from "../context.js";

export const authOffer: Handler = ({ query, server }) => {
  const username = query.getChildText("username") ?? undefined;
  const methods = server.options.authMethods;
  const zk = username ? server.store.get(username)?.zeroKnowledge : undefined;
  return buildAuthOffer({
    username,
    password: methods.includes("plain"),
    digest: methods.includes("digest"),
    // The client hashes sequence − 1 times more than the stored hash_N… once less: N − 1.
    zeroKnowledge:
      methods.includes("0k") && zk && zk.sequence > 0 ? { sequence: zk.sequence - 1, token: zk.token } : undefined,
    resource: true,
  });
};

export const authLogin: Handler = ({ query, session, server }) => {
  const login = parseAuthRequest(query);
  if (!login.username || !login.resource) throw new NotAcceptableError({ text: "Not Acceptable" });
  const account = server.store.get(login.username);
  const methods = server.options.authMethods;
  const proven =
    account !== undefined &&
    ((methods.includes("plain") && login.password !== undefined && login.password === account.password) ||
      (methods.includes("digest") &&
        login.digest !== undefined &&
        login.digest === digestPassword(session.streamId, account.password)) ||
      (methods.includes("0k") && login.hash !== undefined && server.store.spendHash(account.username, login.hash)));
  if (!proven) throw new NotAuthorizedError({ text: "Unauthorized" });
  const jid = `${login.username}@${server.options.domain}/${login.resource}`;
  if (server.online.has(jid)) throw new ConflictError({ text: "Resource in use" });
  server.online.add(jid);
  session.username = login.username;
  session.resource = login.resource;
  return undefined;
};
