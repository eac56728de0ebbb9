// The IQ router: one handler per (namespace, type), every StanzaError turned into an error reply.
import { ServiceUnavailableError, StanzaError } from "@reguser/errors";
import { NS } from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";
import type { Handler, Request } from "./context.js";
import { authLogin, authOffer } from "./handlers/auth.js";
import { registerInquiry, registerSet } from "./handlers/register.js";

const HANDLERS: Record<string, Handler | undefined> = {
  [`${NS.register} get`]: registerInquiry,
  [`${NS.register} set`]: registerSet,
  [`${NS.auth} get`]: authOffer,
  [`${NS.auth} set`]: authLogin,
};

/** The reply to an IQ get/set; errors echo the request's query, as jabberd does. */
export function route(request: Omit<Request, "query">): Element {
  const { iq, server } = request;
  const query = iq.getChildElements()[0];
  const handler = query ? HANDLERS[`${String(query.attrs.xmlns)} ${String(iq.attrs.type)}`] : undefined;
  const attrs = { id: iq.attrs.id, ...(iq.attrs.to ? { from: iq.attrs.to } : {}) };
  try {
    if (!handler || !query) throw new ServiceUnavailableError({ text: "Service Unavailable" });
    const payload = handler({ ...request, query });
    return xml("iq", { ...attrs, type: "result" }, payload ?? "");
  } catch (err) {
    if (!(err instanceof StanzaError)) throw err;
    return xml("iq", { ...attrs, type: "error" }, query ?? "", err.toElement(server.options.errors));
  }
}
