// RFC 6120 §7 the bound resources: every authenticated stream with a resource, under its full JID, in one place.
import { StreamError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import { fullJid, type Session } from "../context.js";
import type { ResourceConflict } from "../options.js";

/** What a connection lets the rest of the server do to its stream. */
export interface SessionLink {
  /** Write a stanza to the stream (nothing once the stream is ending). */
  deliver(stanza: Element): void;
  /** End the stream with a stream error (a replaced session's `<conflict/>`). */
  end(error: StreamError): void;
}

/** A bound resource's presence as the server keeps it (RFC 6121 §4). */
export interface PresenceState {
  /** It sent available presence, and no unavailable since. */
  available: boolean;
  /** Its last available presence's `<priority>` (RFC 6121 §4.7.2.3), 0 when it gave none. */
  priority: number;
  /** That presence as broadcast (`from` stamped): what a newly available peer is shown. */
  last: Element | undefined;
  /** Where it sent directed available presence (RFC 6121 §4.6): they hear of it going unavailable. */
  directed: Set<string>;
}

/** An authenticated stream with a bound resource. */
export interface LiveSession extends SessionLink {
  readonly username: string;
  readonly resource: string;
  /** `username@domain/resource`. */
  readonly jid: string;
  /** `username@domain`. */
  readonly bare: string;
  readonly presence: PresenceState;
}

/** Every connection's session, and the bound ones by full JID. */
export interface SessionRegistry {
  /** A new connection: known from now on, online once it binds a resource. */
  attach(session: Session, link: SessionLink): void;
  /**
   * Bind `username/resource` to `session`'s connection. A full JID in use is refused (undefined) or, with
   * `replace`, taken over: the old stream ends with `<conflict/>` first.
   */
  bind(session: Session, username: string, resource: string): LiveSession | undefined;
  /** The bound resource of a connection, if it has one. */
  of(session: Session): LiveSession | undefined;
  /** The session bound to a full JID. */
  get(jid: string): LiveSession | undefined;
  /** A user's bound resources, in the order they bound. */
  ofUser(username: string): LiveSession[];
  /** Every bound resource, in the order they bound. */
  all(): LiveSession[];
  /** The connection is gone: forgotten, and its bound resource returned (once) so that it can go offline. */
  detach(session: Session): LiveSession | undefined;
}

export function createSessionRegistry({
  domain,
  conflict,
}: {
  domain: string;
  conflict: ResourceConflict;
}): SessionRegistry {
  const links = new Map<Session, SessionLink>();
  const bound = new Map<Session, LiveSession>();
  const byJid = new Map<string, LiveSession>();

  return {
    attach: (session, link) => {
      links.set(session, link);
    },
    bind: (session, username, resource) => {
      const link = links.get(session);
      if (!link || bound.has(session)) return undefined;
      const jid = fullJid(username, domain, resource);
      const old = byJid.get(jid);
      if (old && conflict === "refuse") return undefined;
      // The old connection detaches itself (and goes offline) as its stream ends.
      old?.end(new StreamError({ condition: "conflict", text: "Replaced by a new login with the same resource" }));
      if (byJid.get(jid) === old) byJid.delete(jid);
      const presence: PresenceState = { available: false, priority: 0, last: undefined, directed: new Set() };
      const live: LiveSession = {
        username,
        resource,
        jid,
        bare: `${username}@${domain}`,
        presence,
        deliver: (stanza) => link.deliver(stanza),
        end: (error) => link.end(error),
      };
      bound.set(session, live);
      byJid.set(jid, live);
      return live;
    },
    of: (session) => bound.get(session),
    get: (jid) => byJid.get(jid),
    ofUser: (username) => [...byJid.values()].filter((live) => live.username === username),
    all: () => [...byJid.values()],
    detach: (session) => {
      links.delete(session);
      const live = bound.get(session);
      if (!live) return undefined;
      bound.delete(session);
      if (byJid.get(live.jid) === live) byJid.delete(live.jid);
      return live;
    },
  };
}
