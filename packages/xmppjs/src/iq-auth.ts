// XEP-0078 §3 Non-SASL Authentication as an xmpp.js stream-features step (http://jabber.org/features/iq-auth).
import { randomBytes } from "node:crypto";
import { type AuthMethod, authenticate, type Credentials } from "@reguser/auth";
import { ProtocolError, requireTextOptions } from "@reguser/errors";
import { NS } from "@reguser/protocol";
import type { Element } from "@xmpp/xml";
import { markOnline, type XmppClient } from "./client.js";
import { clientSession } from "./iq-session.js";
import type { RequestOptions } from "./request.js";
import { hideSaslOffers } from "./sasl-gate.js";

export interface IqAuthOptions extends RequestOptions {
  /** `fallback` (default): only when the server offers no SASL; `prefer`: even when it does (SASL is hidden). */
  when?: "fallback" | "prefer";
  /** Allow a plaintext password over an unencrypted connection to a non-loopback host. Default false. */
  allowInsecure?: boolean;
  /** Most zero-knowledge hash rounds to compute. Default 100,000. */
  maxSequence?: number;
}

export interface IqAuthPlugin {
  /** The method of the last successful login. */
  readonly method: AuthMethod | undefined;
  /** Stop logging in with jabber:iq:auth: the client falls back to xmpp.js's own steps. */
  stop(): void;
}

/**
 * Log `xmpp` in with jabber:iq:auth when the server offers the iq-auth stream feature, then mark it online as
 * resource binding does (`client.jid` set, `online` emitted). Apply before `xmpp.start()`. A refused login rejects
 * `start()` with its typed error (`NotAuthorizedError`…).
 */
export function iqAuth(xmpp: XmppClient, credentials: Credentials, options: IqAuthOptions = {}): IqAuthPlugin {
  requireTextOptions("iqAuth", credentials, { required: ["username", "password"], optional: ["resource"] });
  let streamId = "";
  let method: AuthMethod | undefined;
  let stopped = false;
  const onOpen = (header: Element) => {
    streamId = String(header.attrs.id ?? "");
  };
  xmpp.on("open", onOpen);
  const gate = options.when === "prefer" ? hideSaslOffers(xmpp, () => !stopped) : undefined;
  // XEP-0078 requires a resource: one is made up when the credentials have none.
  const resource = credentials.resource ?? `xmppjs-${randomBytes(4).toString("hex")}`;

  xmpp.streamFeatures.use("auth", NS.authFeature, async ({ entity }, next) => {
    if (stopped) return next();
    if (!streamId) throw new ProtocolError("The server's stream header has no id");
    const session = clientSession(entity, { ...options, streamId: () => streamId });
    const { timeout, maxSequence } = options;
    const login = { ...credentials, resource };
    const { jid, method: used } = await authenticate(session, login, { timeout, maxSequence });
    method = used;
    markOnline(entity, jid);
  });

  return {
    get method() {
      return method;
    },
    stop() {
      stopped = true;
      xmpp.off("open", onOpen);
      gate?.stop();
    },
  };
}
