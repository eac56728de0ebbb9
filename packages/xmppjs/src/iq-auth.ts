// XEP-0078 §3 Non-SASL Authentication as an xmpp.js stream-features step (http://jabber.org/features/iq-auth).
import { randomBytes } from "node:crypto";
import { type AuthMethod, type AuthMethods, authMethodsFromReply, chooseMethod } from "@reguser/auth";
import { NotAuthorizedError, ProtocolError, requireTextOptions } from "@reguser/errors";
import {
  type AuthProof,
  buildAuthQuery,
  buildAuthRequest,
  digestPassword,
  NS,
  zeroKnowledgeHash,
} from "@reguser/protocol";
import { assertConfidential } from "@reguser/stream";
import xml, { type Element } from "@xmpp/xml";
import { confidentialityOf, domainOf, markOnline, type XmppClient } from "./client.js";
import { type RequestOptions, request } from "./request.js";
import { hideSaslOffers } from "./sasl-gate.js";

export interface IqAuthCredentials {
  username: string;
  password: string;
  /** XEP-0078 requires one. Default: `xmppjs-` and 8 random hex digits. */
  resource?: string;
}

export interface IqAuthOptions extends RequestOptions {
  /** `fallback` (default): only when the server offers no SASL; `prefer`: even when it does (SASL is hidden). */
  when?: "fallback" | "prefer";
  /** Default `auto`: the strongest offered (zero-knowledge, digest, then plaintext). */
  method?: AuthMethod | "auto";
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
export function iqAuth(xmpp: XmppClient, credentials: IqAuthCredentials, options: IqAuthOptions = {}): IqAuthPlugin {
  requireTextOptions("iqAuth", credentials, { required: ["username", "password"], optional: ["resource"] });
  let streamId = "";
  let method: AuthMethod | undefined;
  let stopped = false;
  const onOpen = (header: Element) => {
    streamId = String(header.attrs.id ?? "");
  };
  xmpp.on("open", onOpen);
  const gate = options.when === "prefer" ? hideSaslOffers(xmpp, () => !stopped) : undefined;
  const resource = credentials.resource ?? `xmppjs-${randomBytes(4).toString("hex")}`;

  xmpp.streamFeatures.use("auth", NS.authFeature, async ({ entity }, next) => {
    if (stopped) return next();
    if (!streamId) throw new ProtocolError("The server's stream header has no id");
    const methods = await offeredMethods(entity, credentials.username, options);
    const chosen = chooseMethod(methods, options.method);
    const proof = makeProof(entity, chosen, { ...credentials, streamId }, methods, options);
    const { username, password } = credentials;
    const iq = xml("iq", { type: "set" }, buildAuthRequest({ username, resource, proof }));
    const reply = await request(entity, iq, { ...options, secrets: [password, ...Object.values(proof)] });
    // Prosody answers a method it does not support with a result repeating the field list (docs/traps.md#trap-1).
    if (reply.getChild("query", NS.auth)) {
      throw new NotAuthorizedError({
        text: "The server answered with the jabber:iq:auth field list instead of a login",
        hint: `it did not accept the ${chosen} method or the request`,
      });
    }
    method = chosen;
    markOnline(entity, `${username}@${domainOf(entity)}/${resource}`);
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

async function offeredMethods(xmpp: XmppClient, username: string, options: RequestOptions): Promise<AuthMethods> {
  // The username goes in the get: jabberd 1.4 requires it.
  return authMethodsFromReply(await request(xmpp, xml("iq", { type: "get" }, buildAuthQuery(username)), options));
}

function makeProof(
  xmpp: XmppClient,
  method: AuthMethod,
  c: IqAuthCredentials & { streamId: string },
  methods: AuthMethods,
  o: IqAuthOptions,
): AuthProof {
  if (method === "plain") {
    assertConfidential(confidentialityOf(xmpp, o.allowInsecure), "a plaintext password");
    return { password: c.password };
  }
  if (method === "digest") return { digest: digestPassword(c.streamId, c.password) };
  const offer = methods.zeroKnowledge as NonNullable<AuthMethods["zeroKnowledge"]>;
  return { hash: zeroKnowledgeHash(c.password, offer.token, offer.sequence, { maxSequence: o.maxSequence }) };
}
