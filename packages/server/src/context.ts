// What a handler sees: the request, this connection's session, and the server's shared state.
import type { StreamError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import type { ResolvedOptions } from "./options.js";
import type { MemoryStore } from "./store.js";

export interface Session {
  /** The stream id sent in our header: digest authentication hashes it. */
  readonly streamId: string;
  /** Set once jabber:iq:auth succeeded. */
  username?: string | undefined;
  resource?: string | undefined;
}

export interface ServerState {
  readonly options: ResolvedOptions;
  readonly store: MemoryStore;
  /** Full JIDs with a session, for resource conflicts. */
  readonly online: Set<string>;
}

export interface Request {
  iq: Element;
  query: Element;
  session: Session;
  server: ServerState;
  /** End the stream with this error once the reply is written (after an account removal). */
  endAfterReply(error: StreamError): void;
}

/** A handler answers with the query to put in the result (or nothing), or throws a StanzaError. */
export type Handler = (request: Request) => Element | undefined;
