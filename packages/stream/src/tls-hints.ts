// What to change when a TLS handshake fails for a reason users meet on their first try.
import type { TlsMode } from "./options.js";

/** OpenSSL's verdicts on a certificate no trusted authority signed (a test server's self-signed one, say). */
const UNTRUSTED = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
]);

export const TLS_HINTS = {
  untrusted:
    "the server's certificate is not trusted: pass its certificate or CA as `ca` (CLI: --ca FILE), " +
    "or rejectUnauthorized: false in tests you control",
  otherName:
    "the certificate is for another name: set `domain` (CLI: --domain) to the server's XMPP domain, or `servername`",
  startTlsPort:
    "this port speaks STARTTLS (plain XMPP first), not direct TLS: use tls: 'starttls' or 'auto' " +
    "(CLI: --tls starttls), or the server's direct TLS port",
} as const;

/** The hint for a failed handshake in `mode`, if the fix is known. */
export function tlsHint(err: Error, mode: TlsMode): string | undefined {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  if (UNTRUSTED.has(code)) return TLS_HINTS.untrusted;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return TLS_HINTS.otherName;
  // A plain XMPP server answers a ClientHello with XML, which OpenSSL reads as a record of an unknown version.
  if (mode === "direct" && (code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number/i.test(err.message))) {
    return TLS_HINTS.startTlsPort;
  }
  return undefined;
}
