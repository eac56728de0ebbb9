// One client connection: the stream header, features, size-limited parsing, IQs to the router, the end.
import { randomBytes } from "node:crypto";
import type net from "node:net";
import { LimitExceededError, redactElement, StreamError } from "@reguser/errors";
import { buildStreamFeatures, buildStreamHeader, STREAM_CLOSE } from "@reguser/protocol";
import { XmlReader } from "@reguser/stream";
import type { Element } from "@xmpp/xml";
import type { ServerState, Session } from "./context.js";
import { route } from "./router.js";

export class Connection {
  readonly #socket: net.Socket;
  readonly #server: ServerState;
  readonly #session: Session;
  readonly #reader: XmlReader;
  #ended = false;
  /** Refuse this stream as soon as its header is answered (RFC 6120 §4.9.1.1: a header comes first). */
  #refusal: StreamError | undefined;

  constructor(socket: net.Socket, server: ServerState) {
    this.#socket = socket;
    this.#server = server;
    // Eight hex digits, like the book's 3B2DB1A7.
    this.#session = { streamId: randomBytes(4).toString("hex").toUpperCase() };
    this.#reader = new XmlReader(
      {
        onHeader: (attrs) => this.#onHeader(attrs),
        onElement: (el) => this.#onElement(el),
        onEnd: () => this.end(),
        onError: (err) =>
          this.end(
            new StreamError({
              condition: err instanceof LimitExceededError ? "policy-violation" : "not-well-formed",
              text: err.message,
            }),
          ),
      },
      server.options.maxStanzaBytes,
    );
    socket.on("data", (chunk: Buffer) => this.#reader.write(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.#forget());
  }

  /** Answer the client's header, then end the stream with `error`. */
  refuse(error: StreamError): void {
    this.#refusal = error;
  }

  /** End the stream, with a stream error first when there is one. */
  end(error?: StreamError): void {
    if (this.#ended) return;
    this.#ended = true;
    if (error) this.#write(error.toElement().toString());
    this.#write(STREAM_CLOSE);
    this.#socket.end();
    this.#forget();
  }

  #onHeader(attrs: Record<string, string>): void {
    const { options } = this.#server;
    const modern = attrs.version === "1.0";
    this.#write(
      buildStreamHeader({ from: options.domain, id: this.#session.streamId, version: modern ? "1.0" : undefined }),
    );
    if (this.#refusal) {
      this.end(this.#refusal);
      return;
    }
    // A legacy header gets none, as jabberd 1.4 did.
    if (modern) {
      const features = { starttls: undefined, mechanisms: [], bind: false, session: false };
      this.#send(buildStreamFeatures({ ...features, register: options.registration, iqAuth: true }));
    }
  }

  #onElement(el: Element): void {
    this.#server.options.log?.(`in: ${redactElement(el).toString()}`);
    const type = el.attrs.type;
    if (el.name !== "iq" || (type !== "get" && type !== "set")) return;
    let ending: StreamError | undefined;
    const reply = route({
      iq: el,
      session: this.#session,
      server: this.#server,
      endAfterReply: (error) => {
        ending = error;
      },
    });
    this.#send(reply);
    if (ending) this.end(ending);
  }

  #send(el: Element): void {
    this.#server.options.log?.(`out: ${redactElement(el).toString()}`);
    this.#write(el.toString());
  }

  #write(text: string): void {
    if (!this.#socket.destroyed && this.#socket.writable) this.#socket.write(text);
  }

  #forget(): void {
    const { username, resource } = this.#session;
    if (username) this.#server.online.delete(`${username}@${this.#server.options.domain}/${resource}`);
  }
}
