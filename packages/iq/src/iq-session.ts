// RFC 6120 §8.2.3 what every XEP-0077 and XEP-0078 step needs of a connection: IQs to the server, and what the
// connection is. A reguser stream is one; an xmpp.js client is adapted to one (@reguser/xmppjs).
import { ProtocolError } from "@reguser/errors";
import xml, { type Element } from "@xmpp/xml";
import type { Confidentiality } from "./confidentiality.js";

/** How one request travels: its wait, its abort, and what the IQ path must know about it. */
export interface IqOptions {
  /** Milliseconds to wait for the reply; defaults to the session's timeout. */
  timeout?: number;
  /** Aborts the request: it rejects with `AbortError` and its pending entry is removed (a reply is then ignored). */
  signal?: AbortSignal;
  /**
   * The request changes nothing on the server if it is lost with the stream (a login, a query), so a stream
   * reopened after a transient refusal may send it again: `true` sends it as it was, a function rebuilds it
   * (a digest must be computed for the new stream id).
   */
  replay?: boolean | (() => Element | Promise<Element>);
  /** Strings to scrub from an error reply (the password this request carried). */
  secrets?: readonly (string | undefined)[];
  /**
   * Throws to turn a result into a failure (Prosody answers a login it refuses with a result): the request then
   * rejects with what it threw.
   */
  check?: (result: Element) => void;
  /** A login: when it succeeds (its `check` passed), the session is bound to this JID; replies may come from it. */
  authenticates?: string;
  /** A removal: the server ending the session after this request is its expected outcome, not a failure. */
  endsSession?: boolean;
}

/** A get or set of one payload (`<query/>`…), addressed to the server unless `to` says otherwise. */
export interface QueryOptions extends IqOptions {
  /** The IQ's `to`; none (the default) addresses the server on behalf of the account. */
  to?: string;
}

/** What every step takes: a session with the server, whatever carries it. */
export interface IqSession extends Confidentiality {
  /** The server's XMPP domain. */
  readonly domain: string;
  /** The stream id from the server's header: what digest authentication hashes. */
  readonly streamId: string;
  /** The JID a login bound the session to, once one succeeded. */
  readonly jid: string | undefined;
  /** Resolves when the session has ended, whatever the reason. */
  readonly ended: Promise<void>;
  /** Send an IQ and resolve with its result; an error reply rejects with a typed `StanzaError`. */
  request(iq: Element, options?: IqOptions): Promise<Element>;
  /** An IQ-get of `payload`: resolves with the result's payload of the same name and namespace, or throws. */
  get(payload: Element, options?: QueryOptions): Promise<Element>;
  /** An IQ-set of `payload`: resolves with the result's payload, when it carries one. */
  set(payload: Element, options?: QueryOptions): Promise<Element | undefined>;
  /** End the session politely. */
  close(): Promise<void>;
}

/** Anything that sends an IQ and resolves with its result: what `get` and `set` are made from. */
export type IqRequest = (iq: Element, options?: IqOptions) => Promise<Element>;

/** `IqSession.get` over any `request`: the result's payload of the payload's own name and namespace. */
export async function getPayload(request: IqRequest, payload: Element, options: QueryOptions = {}): Promise<Element> {
  const { iq, iqOptions } = queryIq("get", payload, options);
  const answer = (await request(iq, iqOptions)).getChild(payload.name, payload.attrs.xmlns as string | undefined);
  if (!answer) throw new ProtocolError(`The result of the ${describeIq(iq)} carries no <${payload.name}/>`);
  return answer;
}

/** `IqSession.set` over any `request`: the result's first child, if any. */
export async function setPayload(
  request: IqRequest,
  payload: Element,
  options: QueryOptions = {},
): Promise<Element | undefined> {
  const { iq, iqOptions } = queryIq("set", payload, options);
  return (await request(iq, iqOptions)).getChildElements()[0];
}

/** The IQ that carries `payload`, and the options left for the IQ path once `to` went into it. */
function queryIq(type: "get" | "set", payload: Element, options: QueryOptions) {
  const { to, ...iqOptions } = options;
  return { iq: xml("iq", { type, ...(to ? { to } : {}) }, payload), iqOptions };
}

/** `IQ get jabber:iq:register`: how a request is named in timeouts and errors (never with its content). */
export function describeIq(iq: Element): string {
  const payload = iq.getChildElements()[0];
  const ns = payload?.attrs.xmlns ? ` ${String(payload.attrs.xmlns)}` : "";
  return `IQ ${String(iq.attrs.type)}${ns}`;
}
