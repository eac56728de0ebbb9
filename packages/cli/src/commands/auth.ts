// XEP-0078: which jabber:iq:auth methods the server offers a user, then a login with one of them.
import { authMethods, offeredMethods } from "reguser";
import { streamOptions, withStream } from "../connect.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { Invocation } from "../invocation.js";
import type { Io } from "../io.js";
import { Output } from "../output.js";
import { PasswordSource } from "../passwords.js";
import { login } from "./login.js";

export async function runAuth(inv: Extract<Invocation, { command: "auth" }>, io: Io): Promise<ExitCode> {
  const out = new Output(io, { json: inv.json, command: "auth", name: "auth" });
  const passwords = new PasswordSource(io, { stdin: inv.passwordStdin, command: "auth" });
  const { username } = inv;
  try {
    // Asked before connecting: an unauthenticated stream should not wait on someone typing.
    const password = inv.methodsOnly ? undefined : await passwords.read(`Password for ${username}`);
    await withStream(await streamOptions(inv.connect, "auth"), async (stream) => {
      const methods = await authMethods(stream, username);
      out.result({ kind: "methods", username, offered: offeredMethods(methods) });
      if (password === undefined) return;
      const session = await login(stream, inv, password, methods);
      out.result({ kind: "login", username, jid: session.jid, method: session.method });
    });
    return out.end(EXIT.ok);
  } catch (err) {
    return out.end(out.failure("auth", username, err));
  } finally {
    passwords.close();
  }
}
