// XEP-0078 §3 the auth IQ-set: plaintext, digest over the stream id, or the 0k hash; then the session exists.
import { BadRequestError, ConflictError, NotAcceptableError, NotAuthorizedError } from "@reguser/errors";
import { parseAuthRequest } from "@reguser/protocol";
import type { IqHandler, ServerDeps } from "../context.js";
import { TEXT } from "../error-texts.js";
import { isValidResource } from "../names.js";
import { digestSync } from "../sha1.js";
import type { Account } from "../store/account-store.js";
import { spendHash, type ZeroKnowledgeState } from "../zero-knowledge.js";

export function authLogin({ options, store, sessions }: Pick<ServerDeps, "options" | "store" | "sessions">): IqHandler {
  const methods = options.authMethods;
  return ({ query, session }) => {
    if (session.username !== undefined) throw new BadRequestError({ text: TEXT.badRequest });
    const login = parseAuthRequest(query);
    const proofs = [login.password, login.digest, login.hash].filter((p) => p !== undefined);
    // The book: "If you don't supply all the required parameters, you are notified with a 406".
    if (!login.username || !login.resource || proofs.length !== 1 || !isValidResource(login.resource)) {
      throw new NotAcceptableError({ text: TEXT.notAcceptable });
    }
    const account = store.get(login.username);
    const proof = account ? check(account) : undefined;
    if (!account || !proof) throw new NotAuthorizedError({ text: TEXT.unauthorized });
    // The login binds the resource it names: in use → 409, unless resourceConflict is "replace".
    if (!sessions.bind(session, login.username, login.resource)) throw new ConflictError({ text: TEXT.resourceInUse });
    // mod_auth_0k keeps the received hash and N − 1, only once the login went through.
    if (proof !== true) store.put({ ...account, zeroKnowledge: proof });
    session.username = login.username;
    session.resource = login.resource;
    return undefined;

    /** false, true, or the spent 0k chain to keep. */
    function check(account: Account): boolean | ZeroKnowledgeState {
      // A zero-knowledge account has no password: nothing, not even an empty one, matches it.
      const { password } = account;
      if (login.password !== undefined) {
        return methods.includes("plain") && password !== undefined && login.password === password;
      }
      if (login.digest !== undefined) {
        if (!methods.includes("digest") || password === undefined) return false;
        return login.digest.trim().toLowerCase() === digestSync(session.streamId, password);
      }
      // sha1(received) must equal the stored hash_N.
      if (!methods.includes("0k") || login.hash === undefined) return false;
      return spendHash(account.zeroKnowledge, login.hash) ?? false;
    }
  };
}
