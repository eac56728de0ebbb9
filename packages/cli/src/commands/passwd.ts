// XEP-0077 §3.3 Changing a Password: log in with the current password, then set the new one.
import { changePassword } from "reguser";
import { streamOptions, withStream } from "../connect.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { Invocation } from "../invocation.js";
import type { Io } from "../io.js";
import { Output } from "../output.js";
import { PasswordSource } from "../passwords.js";
import { login } from "./login.js";

export async function runPasswd(inv: Extract<Invocation, { command: "passwd" }>, io: Io): Promise<ExitCode> {
  const out = new Output(io, { json: inv.json, command: "passwd", name: "passwd" });
  const passwords = new PasswordSource(io, { stdin: inv.passwordStdin, command: "passwd" });
  const { username } = inv;
  try {
    const current = await passwords.read(`Current password for ${username}`);
    const next = await passwords.readNew(`New password for ${username}`);
    await withStream(await streamOptions(inv.connect, "passwd"), async (stream) => {
      await login(stream, inv, current);
      await changePassword(stream, { username, password: next, oldPassword: current });
    });
    out.result({ kind: "passwd", username });
    return out.end(EXIT.ok);
  } catch (err) {
    return out.end(out.failure("passwd", username, err));
  } finally {
    passwords.close();
  }
}
