// RFC 6120 §7 Resource Binding: after SASL, the client's resource (or one we make) becomes its full JID.
import { BadRequestError, ConflictError, NotAuthorizedError } from "@reguser/errors";
import { NS } from "@reguser/protocol";
import xml from "@xmpp/xml";
import type { IqHandler, ServerDeps } from "../context.js";
import { TEXT } from "../error-texts.js";
import { isValidResource } from "../names.js";

export function bind({ options, sessions }: Pick<ServerDeps, "options" | "sessions">): IqHandler {
  return ({ query, session }) => {
    if (session.username === undefined) throw new NotAuthorizedError({ text: TEXT.unauthorized });
    if (session.resource !== undefined) throw new BadRequestError({ text: TEXT.badRequest });
    const asked = query.getChildText("resource")?.trim();
    const resource = asked || `reguser-${options.ids()}`;
    if (!isValidResource(resource)) throw new BadRequestError({ text: TEXT.badRequest });
    // §7.7.2.2: a resource in use is refused (409), or taken over with resourceConflict: "replace".
    const live = sessions.bind(session, session.username, resource);
    if (!live) throw new ConflictError({ text: TEXT.resourceInUse });
    session.resource = resource;
    return xml("bind", { xmlns: NS.bind }, xml("jid", {}, live.jid));
  };
}
