// RFC 6120 §3.2: where the registration stream goes, read from the xmpp.js client's `service` and `domain`.
import type { OpenStreamOptions } from "@reguser/stream";

/**
 * `xmpp://host:port` → plain TCP with STARTTLS when offered (`tls: 'auto'`), `xmpps://host:port` → direct TLS,
 * `ws://…` and `wss://…` → the same WebSocket endpoint (RFC 7395), a bare domain → that host on 5222 (no SRV
 * lookup). Any other scheme throws.
 */
export function streamOptionsFromService(service: string | undefined, domain: string | undefined): OpenStreamOptions {
  const target = service ?? domain;
  if (!target) throw new TypeError("The xmpp.js client has neither a service nor a domain");
  if (!target.includes("://")) return { host: target, domain: domain ?? target, tls: "auto" };
  const url = new URL(target);
  if (url.protocol === "ws:" || url.protocol === "wss:") {
    return { url: target, domain: domain ?? url.hostname.replace(/^\[|\]$/g, "") };
  }
  if (url.protocol !== "xmpp:" && url.protocol !== "xmpps:") {
    throw new TypeError(
      `Cannot register over ${url.protocol}// : pass options.stream with a TCP host and port, or a WebSocket url`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port === "" ? undefined : Number(url.port);
  return { host, port, domain: domain ?? host, tls: url.protocol === "xmpps:" ? "direct" : "auto" };
}
