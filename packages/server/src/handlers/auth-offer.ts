// XEP-0078 §3 the auth IQ-get (the book's Example 7-3): each enabled method announces itself, then <resource/>.
// The offer is per user: a known user's 0k chain, and no plaintext or digest for an account without a password.
import { buildAuthOffer } from "@reguser/protocol";
import type { IqHandler, ServerDeps } from "../context.js";
import { chainOffer } from "../zero-knowledge.js";

export function authOffer({ options, store }: Pick<ServerDeps, "options" | "store">): IqHandler {
  const methods = options.authMethods;
  return ({ query }) => {
    const username = query.getChildText("username") || undefined;
    const account = username ? store.get(username) : undefined;
    const zk = methods.includes("0k") ? account?.zeroKnowledge : undefined;
    // A zero-knowledge account has no password to send or hash: only 0k can log it in, so only 0k is offered.
    const passwordless = account !== undefined && account.password === undefined;
    return buildAuthOffer({
      username,
      password: methods.includes("plain") && !passwordless,
      digest: methods.includes("digest") && !passwordless,
      // mod_auth_0k: sequence N − 1 and the token; nothing once the chain is used up.
      zeroKnowledge: zk ? chainOffer(zk) : undefined,
      resource: true,
    });
  };
}
