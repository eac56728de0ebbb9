// Bytes in, stanzas out: strict UTF-8 across packet boundaries and a cap on stanza size.
import { LimitExceededError, ProtocolError } from "@reguser/errors";
import { type Element, Parser } from "@xmpp/xml";

/** Deepest element nesting accepted: no stanza needs more, and deeper trees overflow recursive walks. */
export const MAX_ELEMENT_DEPTH = 256;

export interface XmlReaderEvents {
  onHeader(attrs: Record<string, string>, name: string): void;
  onElement(el: Element): void;
  onEnd(): void;
  onError(err: Error): void;
}

/** One stream's worth of parsing; a stream restart (after STARTTLS) takes a new reader. */
export class XmlReader {
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });
  readonly #parser = new Parser();
  readonly #events: XmlReaderEvents;
  readonly #maxStanzaBytes: number;
  #bytesSinceStanza = 0;
  #depth = 0;
  #failed = false;

  constructor(events: XmlReaderEvents, maxStanzaBytes: number) {
    this.#events = events;
    this.#maxStanzaBytes = maxStanzaBytes;
    this.#parser.on("start", (el: Element) => events.onHeader(el.attrs as Record<string, string>, el.name));
    this.#parser.parser.on("startElement", () => {
      if (++this.#depth > MAX_ELEMENT_DEPTH) {
        this.#fail(new LimitExceededError("element depth", this.#depth, MAX_ELEMENT_DEPTH));
      }
    });
    this.#parser.parser.on("endElement", () => this.#depth--);
    this.#parser.on("element", (el: Element) => {
      this.#bytesSinceStanza = 0;
      if (!this.#failed) events.onElement(el);
    });
    this.#parser.on("end", () => {
      if (!this.#failed) events.onEnd();
    });
    this.#parser.on("error", (err: Error) =>
      this.#fail(new ProtocolError(`Malformed XML from the server: ${err.message}`, { cause: err })),
    );
  }

  write(chunk: Buffer): void {
    if (this.#failed) return;
    let text: string;
    try {
      text = this.#decoder.decode(chunk, { stream: true });
    } catch (err) {
      this.#fail(new ProtocolError("Invalid UTF-8 from the server", { cause: err }));
      return;
    }
    // Counted before parsing: a completed stanza resets it, so this bounds the stanza in progress
    // (to within one chunk) and with it the parser's memory.
    this.#bytesSinceStanza += chunk.length;
    try {
      this.#parser.write(text);
    } catch (err) {
      this.#fail(new ProtocolError(`Malformed XML from the server: ${(err as Error).message}`, { cause: err }));
      return;
    }
    // The parser keeps text between stanzas as children of the stream element: drop it, or it grows forever.
    const root = this.#parser.root;
    if (root) root.children.length = 0;
    if (this.#bytesSinceStanza > this.#maxStanzaBytes) {
      this.#fail(new LimitExceededError("stanza size", this.#bytesSinceStanza, this.#maxStanzaBytes));
    }
  }

  /** Ignore everything from now on (the stream moved to another socket). */
  stop(): void {
    this.#failed = true;
  }

  #fail(err: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#events.onError(err);
  }
}
