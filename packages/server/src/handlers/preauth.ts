// XEP-0445 the token before registering, `<preauth xmlns='urn:xmpp:pars:0' token='…'/>`, as mod_invites_register.
import { BadRequestError, ForbiddenError, ServiceUnavailableError } from "@reguser/errors";
import { NS } from "@reguser/protocol";
import type { Element } from "@xmpp/xml";
import type { IqHandler, ServerDeps } from "../context.js";
import { TEXT } from "../error-texts.js";

/** An unspent token → `result`, and the connection remembers it for the registration; else forbidden. */
export function preauth({ invites }: Pick<ServerDeps, "invites">): IqHandler {
  return ({ query, session }) => {
    // Prosody hears preauth only on unauthenticated streams; in a session it is nobody's namespace.
    if (session.username !== undefined || query.name !== "preauth") {
      throw new ServiceUnavailableError({ text: TEXT.serviceUnavailable });
    }
    const token = query.attrs.token;
    if (typeof token !== "string" || token === "") throw new BadRequestError({ text: TEXT.badRequest });
    if (!invites.has(token)) throw new ForbiddenError({ type: "cancel", text: TEXT.inviteInvalid });
    session.invite = token;
    return undefined;
  };
}

/** The tokens of every `<preauth/>` in `el` (the IQ, or an error reply echoing it), for the log to scrub. */
export function preauthTokens(el: Element): string[] {
  const own = el.is("preauth", NS.pars) && typeof el.attrs.token === "string" ? [el.attrs.token] : [];
  return [...own, ...el.getChildElements().flatMap(preauthTokens)];
}
