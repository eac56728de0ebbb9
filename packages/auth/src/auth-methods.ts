// XEP-0078 §3 the IQ-get: which methods the server offers this user.
import { ProtocolError, requireTextOptions } from "@reguser/errors";
import type { IqOptions, IqSession } from "@reguser/iq";
import { buildAuthInquiry, NS, parseAuthOffer, type ZeroKnowledgeOffer } from "@reguser/protocol";
import type { Element } from "@xmpp/xml";

export interface AuthMethods {
  plain: boolean;
  digest: boolean;
  /** Offered only when the server sent both a valid `<sequence>` and a `<token>`. */
  zeroKnowledge?: ZeroKnowledgeOffer | undefined;
  /** Why an offered zero-knowledge pair cannot be used. */
  zeroKnowledgeProblem?: string | undefined;
  /** The server lists `<resource/>`: a login must name one. */
  resource: boolean;
}

/** Ask the server what it offers; the username goes in the get because jabberd 1.4 requires it. */
export async function authMethods(session: IqSession, username: string, options: IqOptions = {}): Promise<AuthMethods> {
  requireTextOptions("authMethods", { username }, { required: ["username"] });
  return authMethodsOf(await session.get(buildAuthInquiry(username), options));
}

/** Read the methods from the `<query xmlns='jabber:iq:auth'/>` of the IQ-get's result. */
export function authMethodsOf(query: Element): AuthMethods {
  if (query.name !== "query" || query.attrs.xmlns !== NS.auth) {
    throw new ProtocolError("The jabber:iq:auth result carries no query");
  }
  const offer = parseAuthOffer(query);
  return {
    plain: offer.password,
    digest: offer.digest,
    zeroKnowledge: offer.zeroKnowledge,
    zeroKnowledgeProblem: offer.zeroKnowledgeProblem,
    resource: offer.resource,
  };
}
