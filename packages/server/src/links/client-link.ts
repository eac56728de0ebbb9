// What a server connection talks through: a TCP socket (which STARTTLS upgrades in place) or a WebSocket.
import type { Framing } from "@reguser/protocol";
import type { TlsUpgrade } from "../handlers/starttls.js";

/** What a link tells its connection. */
export interface LinkEvents {
  /** Bytes from the client: a packet over TCP, one message over WebSocket. */
  data(bytes: Buffer): void;
  /** The link failed (a socket error, a binary WebSocket frame): the connection drops it. */
  error(err: Error): void;
}

/** One client's connection as the server's stream uses it. */
export interface ClientLink {
  /** How the stream's XML is cut into what the link carries. */
  readonly framing: Framing;
  /** Resolves once the link closed, whoever closed it. */
  readonly closed: Promise<void>;
  /** Whether STARTTLS can secure this link (a TCP socket not yet upgraded). */
  readonly canStartTls: boolean;
  /** Deliver what arrives to `events`. */
  listen(events: LinkEvents): void;
  /** Send text (dropped once the link is closing). */
  write(text: string): void;
  /** Close politely once what was written has gone. */
  end(): void;
  /** Drop the link at once. */
  destroy(): void;
  /** RFC 6120 §5: TLS over the same socket from the next byte (only when `canStartTls`). */
  startTls(upgrade: TlsUpgrade): void;
}
