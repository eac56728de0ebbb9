// Bytes in, stanzas out: strict UTF-8 across packet boundaries, a cap on stanza size, and work linear in the input.
import { LimitExceededError, ProtocolError } from "@reguser/errors";
import { type Element, Parser } from "@xmpp/xml";

/** Deepest element nesting accepted: no stanza needs more, and deeper trees overflow recursive walks. */
export const MAX_ELEMENT_DEPTH = 256;

/**
 * The parser sees at most this many bytes per write (a quarter of a small cap), so the size count is exact to
 * within one slice: a stanza completing mid-write restarts the count, and the rest of that write goes uncounted.
 */
export const READ_SLICE_BYTES = 16 * 1024;
const sliceFor = (maxStanzaBytes: number) => Math.max(256, Math.min(READ_SLICE_BYTES, Math.floor(maxStanzaBytes / 4)));

/** A stanza in progress up to this size is parsed as each packet arrives. */
const SMALL_STANZA_BYTES = 16 * 1024;

/** Past that, small packets wait this long (or for a slice's worth) before the parser sees them. */
export const COALESCE_DELAY_MS = 5;

/**
 * Where the parser's next write ends: just after the last `>`. Nothing in XML completes without a `>` (a tag, a
 * comment, a CDATA section, a processing instruction, the stream's end), so holding back the text after it changes
 * no event, and it avoids two costs of ltx: it re-reads an unfinished text or attribute value on every write (time
 * quadratic in a big value arriving in slices), and it finds `?>`, `-->` and `]]>` only within one write (so
 * `<?xml version='1.0'?` + `>` in two packets would swallow the rest of the stream).
 */
function writableEnd(received: string): number {
  return received.lastIndexOf(">") + 1;
}

/** One array holding `chunks` in order (Buffer.concat without Node's Buffer: the reader runs in a browser too). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export interface XmlReaderEvents {
  /** The stream header arrived: its attributes, and its name (`stream:stream`). */
  onHeader(attrs: Record<string, string>, name: string): void;
  /** A complete top-level element (a stanza, features, a stream error…). */
  onElement(el: Element): void;
  /** The server closed the stream (`</stream:stream>`). */
  onEnd(): void;
  /** Malformed XML or a size limit crossed; nothing more is parsed after it. */
  onError(err: Error): void;
}

/**
 * One stream's worth of parsing; a stream restart (after STARTTLS) takes a new reader.
 *
 * ltx re-reads an unfinished text or attribute value on every write, so a big stanza trickled in tiny packets
 * would cost time quadratic in its size (1 MiB in 10-byte packets: 29 s of CPU). Packets are therefore
 * gathered while a big stanza is in progress, keeping the writes per stanza few.
 */
export class XmlReader {
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });
  readonly #parser: Parser;
  readonly #events: XmlReaderEvents;
  readonly #maxStanzaBytes: number;
  readonly #sliceBytes: number;
  /** Text after the last `>`, held back for the next write (see writableEnd). */
  #carry = "";
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #bytesSinceStanza = 0;
  #depth = 0;
  #failed = false;

  /** `parser` is for tests that count what ltx is handed; one reader owns it. */
  constructor(events: XmlReaderEvents, maxStanzaBytes: number, parser: Parser = new Parser()) {
    this.#parser = parser;
    this.#events = events;
    this.#maxStanzaBytes = maxStanzaBytes;
    this.#sliceBytes = sliceFor(maxStanzaBytes);
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

  /** Feed bytes received from the socket; complete elements are reported through the events. Ignored after an error. */
  write(chunk: Uint8Array): void {
    if (this.#failed) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#bytesSinceStanza + this.#pendingBytes <= SMALL_STANZA_BYTES || this.#pendingBytes >= this.#sliceBytes) {
      this.flush();
    } else {
      this.#timer ??= setTimeout(() => this.flush(), COALESCE_DELAY_MS);
    }
  }

  /** Parse everything received so far (the socket is closing, say). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pendingBytes === 0) return;
    const bytes = this.#pending.length === 1 ? (this.#pending[0] as Uint8Array) : concatBytes(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    for (let at = 0; at < bytes.length && !this.#failed; at += this.#sliceBytes) {
      this.#parse(bytes.subarray(at, at + this.#sliceBytes));
    }
  }

  /** Ignore everything from now on (the stream moved to another socket, or ended). */
  stop(): void {
    this.#failed = true;
    this.#drop();
  }

  #parse(slice: Uint8Array): void {
    let text: string;
    try {
      text = this.#decoder.decode(slice, { stream: true });
    } catch (err) {
      this.#fail(new ProtocolError("Invalid UTF-8 from the server", { cause: err }));
      return;
    }
    // Counted before parsing: a completed stanza resets it, so this bounds the stanza in progress and with it
    // the parser's memory.
    this.#bytesSinceStanza += slice.length;
    // Only the new text is searched: the carry has no `>`, and scanning it again would be quadratic.
    const end = writableEnd(text);
    if (end === 0) {
      this.#carry += text;
      this.#checkSize();
      return;
    }
    const writable = this.#carry + text.slice(0, end);
    this.#carry = text.slice(end);
    try {
      this.#parser.write(writable);
    } catch (err) {
      this.#fail(new ProtocolError(`Malformed XML from the server: ${(err as Error).message}`, { cause: err }));
      return;
    }
    // The parser keeps text between stanzas as children of the stream element: drop it, or it grows forever.
    const root = this.#parser.root;
    if (root) root.children.length = 0;
    this.#checkSize();
  }

  #checkSize(): void {
    if (this.#bytesSinceStanza > this.#maxStanzaBytes) {
      this.#fail(new LimitExceededError("stanza size", this.#bytesSinceStanza, this.#maxStanzaBytes));
    }
  }

  #drop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #fail(err: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#drop();
    this.#events.onError(err);
  }
}
