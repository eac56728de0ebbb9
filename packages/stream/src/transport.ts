// What carries a stream's bytes: a TCP or TLS socket today (socket-transport.ts); a WebSocket could be another.
import type { ConnectionOptions } from "node:tls";

/** Hears what arrives on a transport. */
export interface TransportListener {
  /** Bytes arrived. */
  data(bytes: Buffer): void;
  /** The connection closed; `cause` is the error that closed it, if one did. */
  close(cause: Error | undefined): void;
}

/** One connection to the server, as the stream uses it: write text, hear bytes and the close, drop it. */
export interface Transport {
  /** Whether what travels is encrypted (TLS). */
  readonly secure: boolean;
  /** The peer's address when known (read on connecting: Node forgets it once a socket closes). */
  readonly remoteAddress: string | undefined;
  /** Send text. */
  write(text: string): void;
  /** Deliver what arrives to `listener` until the returned function is called. */
  listen(listener: TransportListener): () => void;
  /** Drop the connection at once. */
  destroy(): void;
  /** RFC 6120 §5 STARTTLS: the same connection, now encrypted. Absent where the transport has no such upgrade. */
  startTls?(options: ConnectionOptions, timeout: number): Promise<Transport>;
}
