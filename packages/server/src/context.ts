// What the steps share: this connection's session, the server's dependencies, and the IQ handler shape.
import type { StreamError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import type { CaptchaBook } from "./captchas.js";
import type { PasswordSettings } from "./credentials.js";
import type { InviteBook } from "./invites.js";
import type { ResolvedOptions } from "./options.js";
import type { SessionRegistry } from "./sessions/registry.js";
import type { AccountStore } from "./store/account-store.js";

/** One connection's state; a stream restart (STARTTLS, SASL) keeps it and takes a new stream id. */
export interface Session {
  /** The id of our current stream header: digest authentication hashes it. */
  streamId: string;
  /** The client's header said version='1.0'. */
  modern: boolean;
  secure: boolean;
  /** Set once iq:auth or SASL succeeded: the session exists from then on. */
  username?: string | undefined;
  /** Set by iq:auth or resource binding. */
  resource?: string | undefined;
  /** Authenticated by SASL (a stream restart follows, then bind). */
  sasl: boolean;
  /** The token a `<preauth/>` validated (mod_invites_register's `validated_invite`); it counts while unspent. */
  invite?: string | undefined;
}

/** The server-wide dependencies a step may ask for; each step names the ones it uses. */
export interface ServerDeps {
  options: ResolvedOptions;
  store: AccountStore;
  /** Every connection's session, the bound ones by full JID (resource conflicts, routing). */
  sessions: SessionRegistry;
  /** How a (re)set password's credentials are made. */
  passwords: PasswordSettings;
  /** The unspent invite tokens (none, and `create` refused, when invites are off). */
  invites: InviteBook;
  /** The live CAPTCHA challenges (none, and `issue` refused, when CAPTCHA mode is off). */
  captchas: CaptchaBook;
}

export interface IqRequest {
  iq: Element;
  /** The IQ's payload: its first child element. */
  query: Element;
  session: Session;
  /** End the stream with this error once the reply is written (after an account removal). */
  endAfterReply(error: StreamError): void;
}

/** Answers with the payload of the result (or nothing), or throws a StanzaError / ErrorReply. */
export type IqHandler = (request: IqRequest) => Element | undefined;

export const fullJid = (username: string, domain: string, resource: string) => `${username}@${domain}/${resource}`;
