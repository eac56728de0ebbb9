// XEP-0078 §3 the auth IQ-get (the book's Example 7-3): each enabled method announces itself, then <resource/>.
import { buildAuthOffer } from "@reguser/protocol";
import type { IqHandler, ServerDeps } from "../context.js";
import { chainOffer } from "../zero-knowledge.js";

export function authOffer({ options, store }: Pick<ServerDeps, "options" | "store">): IqHandler {
  const methods = options.authMethods;
  return ({ query }) => {
    const username = query.getChildText("username") || undefined;
    const zk = username && methods.includes("0k") ? store.get(username)?.zeroKnowledge : undefined;
    return buildAuthOffer({
      username,
      password: methods.includes("plain"),
      digest: methods.includes("digest"),
      // mod_auth_0k: sequence N − 1 and the token; nothing once the chain is used up.
      zeroKnowledge: zk ? chainOffer(zk) : undefined,
      resource: true,
    });
  };
}
