// What carries a stream's bytes: a TCP or TLS socket (socket-transport.ts) or a WebSocket (websocket-transport.ts).
import type { ConnectionOptions } from "node:tls";
import type { Framing } from "@reguser/protocol";

/** Hears what arrives on a transport. */
export interface TransportListener {
  /** Bytes arrived. */
  data(bytes: Uint8Array): void;
  /** The connection closed; `cause` is the error that closed it, if one did. */
  close(cause: Error | undefined): void;
  /** The peer broke the transport's rules (a binary WebSocket frame, a message over the limit): the stream must end. */
  failed(err: Error): void;
}

/** One connection to the server, as the stream uses it: write text, hear bytes and the close, drop it. */
export interface Transport {
  /** How the stream's XML is cut into what this transport carries. */
  readonly framing: Framing;
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
