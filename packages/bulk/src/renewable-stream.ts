// A registration lane's stream, replaced when the server ends it under the run: Prosody closes a stream that never
// authenticated after `c2s_timeout` (300 s as shipped) with `connection-timeout`, whatever it was doing, and when
// requests were still arriving the connection is reset before that error can be read
// (docs/shipped.md#unauthenticated-streams).
import { ConnectionError, StreamError } from "@reguser/errors";
import { openStream, type XmppStream } from "@reguser/stream";

/** The server timed the stream out, or the server or the network ended the connection (not a close of ours). */
export function isRenewable(error: unknown): boolean {
  return (
    (error instanceof StreamError && error.condition === "connection-timeout") ||
    (error instanceof ConnectionError && error.lost === true)
  );
}

export class RenewableStream {
  #current: XmppStream;
  #renewing: Promise<XmppStream> | undefined;
  /** Successes on the current stream. */
  #progress = 0;
  #renewed = 0;
  /** The latest stream opened here (the ones before it ended already): closed by `closeOpened`. */
  #opened: XmppStream | undefined;

  constructor(first: XmppStream) {
    this.#current = first;
  }

  /** Streams opened to replace one the server ended. */
  get renewed(): number {
    return this.#renewed;
  }

  /** The stream to send on: the current one, or the one being opened to replace it. */
  get(): XmppStream | Promise<XmppStream> {
    return this.#renewing ?? this.#current;
  }

  /** A request succeeded on `stream`. */
  succeeded(stream: XmppStream): void {
    if (stream === this.#current) this.#progress += 1;
  }

  /**
   * `error` failed a request on `stream`: true when the server ended the stream after it made progress and a fresh
   * stream (opened with the same options) replaces it, so the request may be settled again. A stream that ended
   * before any success is not replaced: the server refuses this work, and a loop would follow.
   */
  renewAfter(error: unknown, stream: XmppStream): boolean {
    if (!isRenewable(error) || !stream.openOptions) return false;
    // Replaced already, or being replaced: every request the old stream failed is settled again.
    if (stream !== this.#current || this.#renewing) return true;
    if (this.#progress === 0) return false;
    this.#progress = 0;
    const options = stream.openOptions;
    this.#renewing = openStream(options).then(
      (fresh) => {
        this.#renewed += 1;
        this.#opened = fresh;
        this.#current = fresh;
        this.#renewing = undefined;
        return fresh;
      },
      (err: unknown) => {
        this.#renewing = undefined;
        throw err;
      },
    );
    // Requests waiting on it see the failure themselves; this copy only keeps it from going unhandled.
    this.#renewing.catch(() => undefined);
    return true;
  }

  /** Close the stream this lane opened, if it did (the caller's own stream stays the caller's). */
  async closeOpened(): Promise<void> {
    await this.#opened?.close();
  }
}
