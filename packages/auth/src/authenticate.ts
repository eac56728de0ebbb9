// XEP-0078 §3 the IQ-set: log in with plaintext, digest or the zero-knowledge hash chain.
import {
  createStanzaError,
  NotAuthorizedError,
  requireTextOptions,
  restatedRefusal,
  StanzaError,
} from "@reguser/errors";
import { assertConfidential, type IqOptions, type IqSession } from "@reguser/iq";
import { type AuthProof, buildAuthRequest, digestPassword, NS, zeroKnowledgeHash } from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";
import { type AuthMethods, authMethods } from "./auth-methods.js";
import { type AuthMethod, chooseMethod } from "./choose-method.js";

export interface Credentials {
  username: string;
  password: string;
  /** XEP-0078 requires one; omitting it lets you see what a server does without (they refuse). */
  resource?: string;
  /** Default `auto`: the strongest method the server offers. */
  method?: AuthMethod | "auto";
}

export interface AuthenticateOptions extends IqOptions {
  /** Most zero-knowledge hash rounds to compute. Default 100,000. */
  maxSequence?: number;
  /** Skip the IQ-get by passing what a previous `authMethods` returned. */
  methods?: AuthMethods;
}

export interface Session {
  jid: string;
  method: AuthMethod;
}

const HASHED_STORAGE_HINT =
  "wrong username or password, or the server stores passwords hashed (ejabberd's SCRAM storage, say) and so cannot check jabber:iq:auth logins";
const MISSING_RESOURCE_HINT = "no resource was given, and XEP-0078 logins need one: pass `resource`";

/**
 * Log in with jabber:iq:auth (XEP-0078) on `session`, with the strongest method offered unless `method` says.
 * A missing or empty `username` or `password` (or an empty `resource`) is an `InvalidOptionError` before
 * anything is sent. A refusal is a `StanzaError` (`NotAuthorizedError` for a wrong password) whose `hint` says
 * what to check: the resource when none was given, else why a right password may be refused.
 */
export async function authenticate(
  session: IqSession,
  credentials: Credentials,
  options: AuthenticateOptions = {},
): Promise<Session> {
  requireTextOptions("authenticate", credentials, { required: ["username", "password"], optional: ["resource"] });
  const { username, password, resource } = credentials;
  const { methods: given, maxSequence: _maxSequence, ...iqOptions } = options;
  const methods = given ?? (await authMethods(session, username, iqOptions));
  const method = chooseMethod(methods, credentials.method);
  const login = async () => {
    const proof = await makeProof(session, method, credentials, methods, options);
    return { query: buildAuthRequest({ username, resource, proof }), proof };
  };
  const first = await login();
  const secrets = [password, ...Object.values(first.proof)];
  // A login changes nothing if its stream is lost: a reopened stream may send it again, with the proof
  // computed for the new stream id. Not zero-knowledge: the server may have spent that sequence.
  const replay = method === "0k" ? false : async () => xml("iq", { type: "set" }, (await login()).query);
  const jid = `${username}@${session.domain}${resource === undefined ? "" : `/${resource}`}`;
  // Prosody answers an unsupported method, or a missing resource, with a result that repeats the field list
  // (docs/traps.md#trap-1): not a login, so the session is not bound.
  const fieldList = new NotAuthorizedError({
    text: "The server answered with the jabber:iq:auth field list instead of a login",
    hint: resource === undefined ? MISSING_RESOURCE_HINT : `it did not accept the ${method} method or the request`,
  });
  const check = (result: Element) => {
    if (result.getChild("query", NS.auth)) throw fieldList;
  };
  try {
    await session.set(first.query, { ...iqOptions, secrets, replay, check, authenticates: jid });
  } catch (err) {
    if (err === fieldList) throw err;
    if (resource === undefined && err instanceof StanzaError) throw withHint(err, MISSING_RESOURCE_HINT);
    if (err instanceof NotAuthorizedError && method !== "0k") throw withHint(err, HASHED_STORAGE_HINT);
    throw err;
  }
  return { jid, method };
}

async function makeProof(
  session: IqSession,
  method: AuthMethod,
  c: Credentials,
  methods: AuthMethods,
  o: AuthenticateOptions,
): Promise<AuthProof> {
  if (method === "plain") {
    assertConfidential(session, "a plaintext password");
    return { password: c.password };
  }
  if (method === "digest") return { digest: await digestPassword(session.streamId, c.password) };
  const offer = methods.zeroKnowledge as NonNullable<AuthMethods["zeroKnowledge"]>;
  return { hash: await zeroKnowledgeHash(c.password, offer.token, offer.sequence, { maxSequence: o.maxSequence }) };
}

/** The same error (same class) with `hint` added, the original as its cause. */
function withHint(err: StanzaError, hint: string): StanzaError {
  return createStanzaError(restatedRefusal(err, hint));
}
