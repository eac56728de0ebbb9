// RFC 6120 §7 Resource Binding: after SASL, the client's resource (or one we make) becomes its full JID.
import { BadRequestError, ConflictError, NotAuthorizedError } from "@reguser/errors";
import { NS } from "@reguser/protocol";
import xml from "@xmpp/xml";
import type { IqHandler, ServerDeps } from "../context.js";
import { fullJid } from "../context.js";
import { TEXT } from "../error-texts.js";
import { isValidResource } from "../names.js";

export function bind({ options, online }: Pick<ServerDeps, "options" | "online">): IqHandler {
  return ({ query, session }) => {
    if (session.username === undefined) throw new NotAuthorizedError({ text: TEXT.unauthorized });
    if (session.resource !== undefined) throw new BadRequestError({ text: TEXT.badRequest });
    const asked = query.getChildText("resource")?.trim();
    const resource = asked || `reguser-${options.ids()}`;
    if (!isValidResource(resource)) throw new BadRequestError({ text: TEXT.badRequest });
    const jid = fullJid(session.username, options.domain, resource);
    // §7.7.2.2: refusing the new binding is one of the allowed answers to a resource in use.
    if (online.has(jid)) throw new ConflictError({ text: TEXT.resourceInUse });
    online.add(jid);
    session.resource = resource;
    return xml("bind", { xmlns: NS.bind }, xml("jid", {}, jid));
  };
}
