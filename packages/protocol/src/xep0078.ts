// XEP-0078 Non-SASL Authentication (jabber:iq:auth), with the book's zero-knowledge fields.
import xml, { type Element } from "@xmpp/xml";
import { NS } from "./namespaces.js";
import { assertXmlText } from "./xml-chars.js";

export interface ZeroKnowledgeOffer {
  sequence: number;
  token: string;
}

/** What an auth IQ-get result offers. */
export interface AuthOffer {
  username?: string | undefined;
  password: boolean;
  digest: boolean;
  resource: boolean;
  /** Set only when both `<sequence>` and `<token>` are present and the sequence is valid. */
  zeroKnowledge?: ZeroKnowledgeOffer | undefined;
  /** Why an offered sequence/token pair is unusable (negative, not a number…). */
  zeroKnowledgeProblem?: string | undefined;
}

/**
 * XEP-0078 §3: read the `jabber:iq:auth` query of an IQ-get result – which of password, digest and resource the server
 * asks for, and a usable zero-knowledge `sequence`/`token` pair (or why it is unusable).
 */
export function parseAuthOffer(query: Element): AuthOffer {
  const offer: AuthOffer = {
    username: query.getChildText("username") || undefined,
    password: query.getChild("password") !== undefined,
    digest: query.getChild("digest") !== undefined,
    resource: query.getChild("resource") !== undefined,
  };
  const sequence = query.getChildText("sequence")?.trim();
  const token = query.getChildText("token")?.trim();
  if (sequence !== undefined && sequence !== null && token !== undefined && token !== null) {
    if (!/^\d+$/.test(sequence) || !Number.isSafeInteger(Number(sequence))) {
      offer.zeroKnowledgeProblem = `the server sent an invalid zero-knowledge sequence '${sequence.slice(0, 40)}'`;
    } else if (token === "") {
      offer.zeroKnowledgeProblem = "the server sent an empty zero-knowledge token";
    } else {
      offer.zeroKnowledge = { sequence: Number(sequence), token };
    }
  }
  return offer;
}

/**
 * XEP-0078 §3, the server's side: build the `jabber:iq:auth` query answering an IQ-get with the fields `offer` names.
 */
export function buildAuthOffer(offer: AuthOffer): Element {
  const query = xml("query", { xmlns: NS.auth });
  query.cnode(xml("username", {}, offer.username ?? ""));
  if (offer.password) query.cnode(xml("password"));
  if (offer.digest) query.cnode(xml("digest"));
  if (offer.zeroKnowledge) {
    query.cnode(xml("sequence", {}, String(offer.zeroKnowledge.sequence)));
    query.cnode(xml("token", {}, offer.zeroKnowledge.token));
  }
  if (offer.resource) query.cnode(xml("resource"));
  return query;
}

/** Exactly one proof goes with a login. */
export type AuthProof = { password: string } | { digest: string } | { hash: string };

export interface AuthRequest {
  username: string;
  resource?: string | undefined;
  proof: AuthProof;
}

/** The IQ-get query; jabberd 1.4 needs the username in it. */
export function buildAuthInquiry(username?: string): Element {
  if (username !== undefined) assertXmlText("username", username);
  return xml("query", { xmlns: NS.auth }, username === undefined ? "" : xml("username", {}, username));
}

/**
 * XEP-0078 §3: build the `jabber:iq:auth` login query (username, resource and one proof: password, digest or 0k hash);
 * refuses characters XML cannot carry.
 */
export function buildAuthRequest(request: AuthRequest): Element {
  assertXmlText("username", request.username);
  if (request.resource !== undefined) assertXmlText("resource", request.resource);
  const query = xml("query", { xmlns: NS.auth }, xml("username", {}, request.username));
  const [name, value] = Object.entries(request.proof)[0] as [string, string];
  assertXmlText(name, value);
  query.cnode(xml(name, {}, value));
  if (request.resource !== undefined) query.cnode(xml("resource", {}, request.resource));
  return query;
}

/** The server's view of an auth IQ-set; fields absent are undefined. */
export interface ParsedAuthRequest {
  username?: string | undefined;
  resource?: string | undefined;
  password?: string | undefined;
  digest?: string | undefined;
  hash?: string | undefined;
}

/**
 * XEP-0078 §3, the server's side: read a client's `jabber:iq:auth` login query (username, resource, and whichever of
 * password, digest and hash it sent).
 */
export function parseAuthRequest(query: Element): ParsedAuthRequest {
  const text = (name: string) => query.getChildText(name) ?? undefined;
  return {
    username: text("username"),
    resource: text("resource"),
    password: text("password"),
    digest: text("digest"),
    hash: text("hash"),
  };
}
