// RFC 6120 §4 one client connection: headers, features, limits, restarts (STARTTLS, SASL), stanzas to the steps.
// Over TCP or WebSocket alike: the link says how the XML is framed (docs/websocket.md); stanzas between users go to
// the stanza router, which never learns which link a session uses.
import { LimitExceededError, redactElement, StreamError } from "@reguser/errors";
import { type FrameReader, NS } from "@reguser/protocol";
import type { Element } from "@xmpp/xml";
import type { Session } from "./context.js";
import { streamFeatures } from "./features.js";
import { preauthTokens } from "./handlers/preauth.js";
import {
  SASL_FAILURES,
  type SaslContinuation,
  type SaslOutcome,
  type SaslStep,
  saslFailure,
} from "./handlers/sasl-exchange.js";
import { proceed, type TlsUpgrade, tlsFailure } from "./handlers/starttls.js";
import type { ClientLink } from "./links/client-link.js";
import type { ResolvedOptions } from "./options.js";
import type { IqRouter } from "./router.js";
import type { StanzaRouter } from "./routing/stanza-router.js";
import type { SessionRegistry } from "./sessions/registry.js";

/** The stanza size limit holds to within this many bytes. */

export interface ConnectionDeps {
  options: ResolvedOptions;
  sessions: SessionRegistry;
  route: IqRouter;
  stanzas: StanzaRouter;
  sasl: SaslStep | undefined;
  upgradeTls: TlsUpgrade | undefined;
}

export class Connection {
  readonly #deps: ConnectionDeps;
  readonly #session: Session;
  readonly #link: ClientLink;
  #reader: FrameReader;
  #authTimer: NodeJS.Timeout | undefined;
  /** A SASL exchange waiting for the client's next `<response/>`. */
  #saslNext: SaslContinuation | undefined;
  #headerSent = false;
  #ended = false;
  /** Refuse this stream as soon as its header is answered (RFC 6120 §4.9.1.1: a header comes first). */
  readonly #refusal: StreamError | undefined;
  /** Resolves once the socket closed. */
  readonly closed: Promise<void>;

  constructor(link: ClientLink, deps: ConnectionDeps, refusal?: StreamError) {
    this.#deps = deps;
    this.#link = link;
    this.#refusal = refusal;
    this.#session = { streamId: deps.options.ids(), modern: false, secure: false, sasl: false };
    this.#reader = this.#newReader();
    deps.sessions.attach(this.#session, {
      deliver: (stanza) => this.#deliver(stanza),
      end: (error) => this.end(error),
    });
    this.closed = link.closed;
    void link.closed.then(() => this.#forget());
    link.listen({ data: (bytes) => this.#reader.write(bytes), error: this.#onSocketError });
    const { authTimeout } = deps.options;
    if (authTimeout > 0 && !refusal) {
      const text = `Not authenticated within ${authTimeout} ms`;
      this.#authTimer = setTimeout(
        () => this.end(new StreamError({ condition: "connection-timeout", text })),
        authTimeout,
      );
    }
  }

  /** End the stream (a stream error first, when given) and the connection. */
  end(error?: StreamError): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#goOffline();
    this.#clearAuthTimer();
    this.#reader.stop();
    if (error) {
      if (!this.#headerSent) this.#sendHeader();
      this.#send(error.toElement());
    }
    if (this.#headerSent) this.#write(this.#link.framing.close());
    this.#link.end();
  }

  /** Drop the connection without a word (after `end`, when the peer does not close its side). */
  destroy(): void {
    this.#clearAuthTimer();
    this.#link.destroy();
  }

  readonly #onSocketError = (err: Error) => {
    this.#deps.options.log?.(`socket error: ${err.message}`);
    this.destroy();
  };

  #newReader(): FrameReader {
    return this.#link.framing.reader(
      {
        onHeader: (attrs, name) => this.#onHeader(attrs, name),
        onElement: (el) => this.#onElement(el),
        onEnd: () => this.end(),
        onError: (err) =>
          this.end(
            err instanceof LimitExceededError
              ? new StreamError({ condition: "policy-violation", text: `${err.limit} over ${err.max}` })
              : new StreamError({
                  condition: "not-well-formed",
                  text: /UTF-8/.test(err.message) ? "Invalid UTF-8" : "Malformed XML",
                }),
          ),
      },
      this.#deps.options.maxStanzaBytes,
    );
  }

  #onHeader(attrs: Record<string, string>, name: string): void {
    const { options } = this.#deps;
    options.log?.(`in: <${name}> ${JSON.stringify(attrs)}`);
    this.#session.modern = attrs.version === "1.0";
    this.#sendHeader();
    if (this.#refusal) {
      this.end(this.#refusal);
      return;
    }
    if (name !== "stream:stream" || attrs["xmlns:stream"] !== NS.stream) {
      this.end(new StreamError({ condition: "invalid-namespace", text: "Expected a jabber:client stream" }));
      return;
    }
    // jabberd's <alias/> would take any `to`; real servers refuse a domain they do not serve.
    if (attrs.to !== undefined && attrs.to !== options.domain) {
      this.end(new StreamError({ condition: "host-unknown", text: `This server is ${options.domain}` }));
      return;
    }
    // A legacy header (no version) gets none, as jabberd 1.4 did.
    if (this.#session.modern) this.#send(streamFeatures(this.#session, options));
  }

  #onElement(el: Element): void {
    this.#log("in", el);
    if (el.name === "iq" || el.name === "message" || el.name === "presence") this.#stanza(el);
    else if (el.name === "starttls" && el.attrs.xmlns === NS.tls) this.#startTls();
    else if (el.attrs.xmlns === NS.sasl) this.#sasl(el);
  }

  /** A bound resource's stanzas for others are routed; IQs for the server are answered here. */
  #stanza(el: Element): void {
    const live = this.#deps.sessions.of(this.#session);
    if (live && this.#deps.stanzas.outbound(live, el)) return;
    if (el.name === "iq") this.#iq(el);
    // Messages and presence before a resource is bound: nobody to route them for (jabberd queued them); dropped.
  }

  /** A stanza routed to this session. */
  #deliver(stanza: Element): void {
    if (!this.#ended) this.#send(stanza);
  }

  #iq(el: Element): void {
    let ending: StreamError | undefined;
    const reply = this.#deps.route(el, this.#session, (error) => {
      ending = error;
    });
    if (reply) this.#send(reply);
    if (this.#session.username !== undefined) this.#clearAuthTimer();
    if (ending) this.end(ending);
  }

  #startTls(): void {
    const upgrade = this.#deps.upgradeTls;
    const session = this.#session;
    if (!upgrade || !this.#link.canStartTls || session.secure || session.username !== undefined || !session.modern) {
      // RFC 6120 §5.4.2.2: failure, then the stream closes.
      this.#send(tlsFailure());
      this.end();
      return;
    }
    this.#send(proceed());
    this.#link.startTls(upgrade);
    session.secure = true;
    this.#restart();
  }

  #sasl(el: Element): void {
    const session = this.#session;
    const outcome = this.#saslOutcome(el, this.#saslNext);
    if (!outcome) return;
    this.#send(outcome.reply);
    this.#saslNext = outcome.next;
    if (outcome.username === undefined) return;
    session.username = outcome.username;
    session.sasl = true;
    this.#clearAuthTimer();
    this.#restart();
  }

  /** RFC 6120 §6.4: `<auth/>` starts an exchange, `<response/>` continues it, `<abort/>` ends it. */
  #saslOutcome(el: Element, next: SaslContinuation | undefined): SaslOutcome | undefined {
    const session = this.#session;
    const start = this.#deps.sasl;
    switch (el.name) {
      case "auth":
        // A new <auth/> in the middle of an exchange starts over.
        return start && session.username === undefined && session.modern
          ? start(el, session)
          : { reply: saslFailure(SASL_FAILURES.invalidMechanism) };
      case "response":
        return next ? next(el) : { reply: saslFailure(SASL_FAILURES.malformedRequest) };
      case "abort":
        return { reply: saslFailure(SASL_FAILURES.aborted) };
      default:
        return undefined;
    }
  }

  /** RFC 6120 §4.3.3: the client sends a new header; it gets a new stream id. */
  #restart(): void {
    this.#reader.stop();
    this.#reader = this.#newReader();
    this.#headerSent = false;
    this.#session.streamId = this.#deps.options.ids();
  }

  #sendHeader(): void {
    const { options } = this.#deps;
    const version = this.#session.modern ? "1.0" : undefined;
    const header = this.#link.framing.open({ from: options.domain, id: this.#session.streamId, version });
    this.#headerSent = true;
    options.log?.(`out: ${header}`);
    this.#write(header);
  }

  #send(el: Element): void {
    this.#log("out", el);
    this.#write(this.#link.framing.outgoing(el).toString());
  }

  #log(direction: "in" | "out", el: Element): void {
    // An invite token is an attribute, which redaction leaves alone unless told its value.
    this.#deps.options.log?.(`${direction}: ${redactElement(el, preauthTokens(el)).toString()}`);
  }

  #write(text: string): void {
    this.#link.write(text);
  }

  #clearAuthTimer(): void {
    if (this.#authTimer) clearTimeout(this.#authTimer);
    this.#authTimer = undefined;
  }

  #forget(): void {
    this.#goOffline();
    this.#clearAuthTimer();
    this.#reader.stop();
  }

  /** The stream is over: no longer bound, and its presence unavailable where it was seen (once). */
  #goOffline(): void {
    const live = this.#deps.sessions.detach(this.#session);
    if (live) this.#deps.stanzas.offline(live);
  }
}
