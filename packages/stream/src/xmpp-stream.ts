// RFC 6120 §4 an XML stream to a server, as users see it: what it is, its IQ path, and its end.
import { ConnectionError } from "@reguser/errors";
import { getPayload, type IqOptions, type IqSession, type QueryOptions, setPayload } from "@reguser/iq";
import type { StreamFeatures, StreamHeader } from "@reguser/protocol";
import type { Element } from "@xmpp/xml";
import type { OpenStreamOptions } from "./options.js";
import type { StreamCore, StreamStatus } from "./stream-core.js";

/** An open `jabber:client` stream (from `openStream`): an `IqSession` every step takes. */
export class XmppStream implements IqSession {
  readonly #core: StreamCore;
  readonly #openOptions: Readonly<OpenStreamOptions> | undefined;

  /**
   * Streams come from `openStream`.
   * @hidden
   */
  constructor(core: StreamCore, openOptions?: Readonly<OpenStreamOptions>) {
    this.#core = core;
    this.#openOptions = openOptions;
  }

  /** Host name or address connected to. */
  get host(): string {
    return this.#core.settings.host;
  }

  /** The server's XMPP domain (the stream's `to`). */
  get domain(): string {
    return this.#core.settings.domain;
  }

  /** Whether the header was sent without `version` (jabberd 1.4 style). */
  get legacy(): boolean {
    return this.#core.settings.legacy;
  }

  /** Milliseconds each stream step and, by default, each IQ may take. */
  get timeout(): number {
    return this.#core.settings.timeout;
  }

  /** Whether plaintext passwords may cross this stream unencrypted to a non-loopback host. */
  get allowInsecure(): boolean {
    return this.#core.settings.allowInsecure;
  }

  /** The stream id from the server's header: what digest authentication hashes. */
  get id(): string {
    return this.#core.id;
  }

  /** The stream id from the server's header (IqSession's name for `id`). */
  get streamId(): string {
    return this.#core.id;
  }

  /** The server's header attributes (its `version` tells whether features follow). */
  get header(): StreamHeader {
    return this.#core.wire.header;
  }

  /** What the server offered in its last `<stream:features/>`. */
  get features(): StreamFeatures {
    return this.#core.wire.features;
  }

  /** Whether the stream runs over TLS (direct, after STARTTLS, or `wss://`). */
  get secure(): boolean {
    return this.#core.wire.transport.secure;
  }

  /** What carries the stream: `tcp` (RFC 6120) or `websocket` (RFC 7395). */
  get transport(): "tcp" | "websocket" {
    return this.#core.wire.transport.framing.name;
  }

  /** The JID a login bound this stream to (a request with `authenticates` that succeeded). */
  get jid(): string | undefined {
    return this.#core.jid;
  }

  /** The peer's address, for the loopback exemption of the plaintext-password rule. */
  get remoteAddress(): string | undefined {
    return this.#core.wire.remoteAddress;
  }

  /** Where the stream is in its life: `open`, `ending`, `reopening`, `closing`, `closed`. */
  get status(): StreamStatus {
    return this.#core.status;
  }

  /** Whether the stream has ended. */
  get closed(): boolean {
    return this.#core.status === "closed";
  }

  /** Resolves when the stream has ended, whatever the reason. */
  get ended(): Promise<void> {
    return this.#core.ended;
  }

  /** How often this stream was dialled again in place after a transient refusal (docs/traps.md#trap-4). */
  get reopens(): number {
    return this.#core.reopens;
  }

  /** Requests waiting for a reply. */
  get pendingRequests(): number {
    return this.#core.pendingRequests;
  }

  /** How this stream was opened (no socket, no signal): enough to open another like it. */
  get openOptions(): Readonly<OpenStreamOptions> | undefined {
    return this.#openOptions;
  }

  /**
   * Send an IQ and wait for its result; an error reply rejects with a typed `StanzaError`. A request with
   * `authenticates` binds the stream to that JID when it succeeds; one with `endsSession` makes the server's end
   * of the stream an orderly one.
   */
  request(iq: Element, options?: IqOptions): Promise<Element> {
    return this.#core.request(iq, options);
  }

  /** An IQ-get of `payload`: resolves with the result's payload of the same name and namespace, or throws. */
  get(payload: Element, options?: QueryOptions): Promise<Element> {
    return getPayload((iq, o) => this.request(iq, o), payload, options);
  }

  /** An IQ-set of `payload`: resolves with the result's payload, when it carries one. */
  set(payload: Element, options?: QueryOptions): Promise<Element | undefined> {
    return setPayload((iq, o) => this.request(iq, o), payload, options);
  }

  /** Close politely: `</stream:stream>`, wait briefly for the server's, then drop the connection. */
  close(): Promise<void> {
    return this.#core.close();
  }

  /** Drop the connection at once, failing every waiting request with `reason`. */
  destroy(reason: Error = new ConnectionError("The stream was destroyed")): void {
    this.#core.destroy(reason);
  }
}
