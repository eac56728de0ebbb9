// Plaintext secrets may cross loopback, never the network, unless the user opts in.
import { InsecureConnectionError } from "@reguser/errors";

/**
 * Whether `address` is a loopback address (`localhost`, 127.0.0.0/8, `::1`, IPv4-mapped 127.x): a password sent there
 * cannot be overheard on a network.
 */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase().replace(/^\[|\]$/g, "");
  return a === "localhost" || a === "::1" || /^127\./.test(a) || /^::ffff:127\./.test(a);
}

/** What decides whether a plaintext secret may cross a connection. */
export interface Confidentiality {
  /** Encrypted (direct TLS, or after STARTTLS). */
  readonly secure: boolean;
  /** The peer's address: loopback may carry plaintext. */
  readonly remoteAddress: string | undefined;
  /** The user accepted plaintext secrets over an unencrypted connection to another host. */
  readonly allowInsecure: boolean;
  /** What carries the stream; over WebSocket the remedy is a `wss://` URL, not a TLS mode. */
  readonly transport?: "tcp" | "websocket";
}

/** Throws `InsecureConnectionError` unless `what` (a password, say) may be sent on this connection. */
export function assertConfidential(session: Confidentiality, what: string): void {
  if (session.secure || session.allowInsecure || isLoopback(session.remoteAddress)) return;
  throw new InsecureConnectionError(
    `Refusing to send ${what} over an unencrypted stream to ${session.remoteAddress ?? "a remote host"}: ` +
      `${session.transport === "websocket" ? "use a wss:// URL" : "use tls: 'starttls' or 'direct'"}, or pass ` +
      "allowInsecure: true if you accept the risk",
  );
}
