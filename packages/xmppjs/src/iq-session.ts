// The adapter: an xmpp.js client as the IqSession every reguser step takes, its IQs through the client's iqCaller.
import { getPayload, type IqRequest, type IqSession, setPayload } from "@reguser/iq";
import { domainOf, remoteAddressOf, type XmppClient } from "./client.js";
import { type RequestOptions, request } from "./request.js";

export interface ClientSessionOptions extends RequestOptions {
  /** Allow a plaintext password over an unencrypted connection to a non-loopback host. Default false. */
  allowInsecure?: boolean;
  /** The id of the stream under way (what a digest hashes): xmpp.js keeps it in no public place. */
  streamId?: () => string;
}

/**
 * `xmpp` as an `IqSession`: IQs through its `iqCaller` with reguser's typed errors, its domain, connection and JID.
 * `ended` resolves at its next disconnect; `close()` stops it.
 */
export function clientSession(xmpp: XmppClient, options: ClientSessionOptions = {}): IqSession {
  const send: IqRequest = (iq, o = {}) =>
    request(xmpp, iq, { timeout: o.timeout ?? options.timeout, secrets: o.secrets, check: o.check });
  return {
    get domain() {
      return domainOf(xmpp);
    },
    get streamId() {
      return options.streamId?.() ?? "";
    },
    get jid() {
      return xmpp.jid?.toString();
    },
    get secure() {
      return xmpp.isSecure();
    },
    get remoteAddress() {
      return remoteAddressOf(xmpp);
    },
    allowInsecure: options.allowInsecure ?? false,
    get ended() {
      return disconnected(xmpp);
    },
    request: send,
    get: (payload, o) => getPayload(send, payload, o),
    set: (payload, o) => setPayload(send, payload, o),
    close: async () => {
      await xmpp.stop();
    },
  };
}

function disconnected(xmpp: XmppClient): Promise<void> {
  if (xmpp.status === "offline" || xmpp.status === "disconnect") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      xmpp.off("disconnect", done);
      resolve();
    };
    xmpp.on("disconnect", done);
  });
}
