// RFC 6120 §8.2.3 IQ semantics: one handler per (namespace, type); errors become replies in the chosen style.
import {
  BadRequestError,
  type ErrorStyle,
  InternalServerError,
  ServiceUnavailableError,
  StanzaError,
} from "@reguser/errors";
import xml, { type Element } from "@xmpp/xml";
import type { IqHandler, IqRequest, Session } from "./context.js";
import { ErrorReply } from "./error-reply.js";
import { TEXT } from "./error-texts.js";

export interface IqRoute {
  namespace: string;
  type: "get" | "set";
  handle: IqHandler;
}

export interface RouterDeps {
  routes: readonly IqRoute[];
  errors: ErrorStyle;
  domain: string;
  /** Told about handler bugs (never about requests: they may hold secrets). */
  log?: ((line: string) => void) | undefined;
}

export type IqRouter = (
  iq: Element,
  session: Session,
  endAfterReply: IqRequest["endAfterReply"],
) => Element | undefined;

/**
 * The reply to an IQ get/set (nothing for result/error). Error replies echo the request's payload, as jabberd
 * does – the client's own data back on its own stream; the log only ever sees it redacted.
 */
export function createRouter({ routes, errors, domain, log }: RouterDeps): IqRouter {
  const table = new Map(routes.map((route) => [`${route.namespace} ${route.type}`, route.handle]));
  return (iq, session, endAfterReply) => {
    const type = iq.attrs.type;
    if (type !== "get" && type !== "set") return undefined;
    const query = iq.getChildElements()[0];
    const attrs = replyAttributes(iq, session, domain);
    try {
      if (!query) throw new BadRequestError({ text: TEXT.badRequest });
      const handle = table.get(`${String(query.attrs.xmlns)} ${type}`);
      if (!handle) throw new ServiceUnavailableError({ text: TEXT.serviceUnavailable });
      const payload = handle({ iq, query, session, endAfterReply });
      return xml("iq", { type: "result", ...attrs }, payload ?? "");
    } catch (err) {
      const { error, payload } = asErrorReply(err, query, log);
      return xml("iq", { type: "error", ...attrs }, payload ?? "", error.toElement(errors));
    }
  };
}

function asErrorReply(err: unknown, query: Element | undefined, log: RouterDeps["log"]) {
  if (err instanceof ErrorReply) return { error: err.error, payload: err.payload };
  if (err instanceof StanzaError) return { error: err, payload: query };
  log?.(`handler failed: ${err instanceof Error ? err.message : String(err)}`);
  return { error: new InternalServerError({ text: TEXT.internal }), payload: query };
}

/** id echoed; `from` the address asked (Example 7-2: from='yak'); `to` the session's full JID once there is one. */
function replyAttributes(iq: Element, session: Session, domain: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (iq.attrs.id !== undefined) attrs.id = String(iq.attrs.id);
  if (iq.attrs.to !== undefined) attrs.from = String(iq.attrs.to);
  if (session.username && session.resource) attrs.to = `${session.username}@${domain}/${session.resource}`;
  return attrs;
}
