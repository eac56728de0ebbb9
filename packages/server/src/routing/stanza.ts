// RFC 6120 §8.1.2 the addresses a routed stanza carries, and §8.3.1 the error a stanza that cannot go on earns.
import type { ErrorStyle, StanzaError } from "@reguser/errors";
import { NS } from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";

/** The kinds of stanza (RFC 6120 §8). */
export const STANZA_KINDS = ["message", "presence", "iq"] as const;
export type StanzaKind = (typeof STANZA_KINDS)[number];

export const isStanza = (el: Element): boolean => (STANZA_KINDS as readonly string[]).includes(el.name);

/**
 * A copy of `stanza` with these addresses (undefined removes one); its children are shared, not copied. The stream's own
 * namespace is dropped: each link writes it as it must (RFC 7395 §3.3 puts it on every stanza over WebSocket).
 */
export function addressed(stanza: Element, addresses: { from?: string | undefined; to?: string | undefined }): Element {
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(stanza.attrs)) {
    if (value !== undefined && value !== null) attrs[name] = String(value);
  }
  if (attrs.xmlns === NS.client) delete attrs.xmlns;
  for (const [name, value] of Object.entries(addresses)) {
    if (value === undefined) delete attrs[name];
    else attrs[name] = value;
  }
  const copy = xml(stanza.name, attrs);
  copy.children = [...stanza.children];
  return copy;
}

/**
 * The error reply to `stanza`: `from` what it was sent to, `to` its sender, its id and children echoed (as the
 * server's IQ errors echo the request: the sender's own data back on its own stream). None to an error or an IQ
 * result: an error is never answered with another (§8.3.1).
 */
export function bounce(stanza: Element, error: StanzaError, style: ErrorStyle, sender: string): Element | undefined {
  const type = stanza.attrs.type;
  if (type === "error" || (stanza.name === "iq" && type === "result")) return undefined;
  const attrs: Record<string, string> = { type: "error", to: sender };
  if (stanza.attrs.id !== undefined) attrs.id = String(stanza.attrs.id);
  if (stanza.attrs.to !== undefined) attrs.from = String(stanza.attrs.to);
  const reply = xml(stanza.name, attrs);
  for (const child of stanza.children) if (typeof child !== "string" || child.trim() !== "") reply.children.push(child);
  reply.children.push(error.toElement(style));
  return reply;
}
