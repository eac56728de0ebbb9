// XEP-0078 login shared by passwd, remove and auth.
import { type AuthMethods, authenticate, type Session, type XmppStream } from "reguser";
import type { LoginFlags } from "../invocation.js";

export function login(
  stream: XmppStream,
  flags: LoginFlags,
  password: string,
  methods?: AuthMethods,
): Promise<Session> {
  const credentials = { username: flags.username, password, resource: flags.resource, method: flags.method };
  return authenticate(stream, credentials, methods ? { methods } : {});
}
