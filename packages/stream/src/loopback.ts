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

export interface Confidentiality {
  readonly secure: boolean;
  readonly remoteAddress: string | undefined;
  readonly allowInsecure: boolean;
}

/** Throws unless `what` (a password, say) may be sent on this stream. */
export function assertConfidential(stream: Confidentiality, what: string): void {
  if (stream.secure || stream.allowInsecure || isLoopback(stream.remoteAddress)) return;
  throw new InsecureConnectionError(
    `Refusing to send ${what} over an unencrypted stream to ${stream.remoteAddress ?? "a remote host"}: ` +
      "use tls: 'starttls' or 'direct', or pass allowInsecure: true if you accept the risk",
  );
}
