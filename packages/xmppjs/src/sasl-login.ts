// RFC 6120 §6 SASL through xmpp.js's sasl step, with reguser's mechanism choice (PLAIN allowed on loopback).
import { randomUUID } from "node:crypto";
import { requireTextOptions } from "@reguser/errors";
import xml from "@xmpp/xml";
import { type CredentialsCallback, isLoopbackClient } from "./client.js";
import { chooseSaslMechanism } from "./sasl-mechanism.js";

export interface SaslLoginOptions {
  /** Allow PLAIN over an unencrypted connection to a non-loopback host. Default false. */
  allowInsecure?: boolean;
}

/**
 * A `credentials` callback for `client()`: logs in with the first mechanism `chooseSaslMechanism` allows. Unlike
 * xmpp.js's default, PLAIN works unencrypted on loopback (jabberd2 offers only PLAIN) and ANONYMOUS is never used.
 */
export function saslLogin(
  credentials: { username: string; password: string },
  options: SaslLoginOptions = {},
): CredentialsCallback {
  requireTextOptions("saslLogin", credentials, { required: ["username", "password"] });
  const userAgent = xml("user-agent", { id: randomUUID() });
  const { username, password } = credentials;
  return async (authenticate, mechanisms, _fast, xmpp) => {
    const context = { secure: xmpp.isSecure(), loopback: isLoopbackClient(xmpp), allowInsecure: options.allowInsecure };
    await authenticate({ username, password }, chooseSaslMechanism(mechanisms, context), userAgent);
  };
}
