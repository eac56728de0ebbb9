// XEP-0077 §3.3 Changing a Password: log in with the current password, then set the new one (or --admin sets it).
import { changePassword } from "reguser";
import { type AdminPath, openAdminPath } from "../admin/admin-path.js";
import { streamOptions, withStream } from "../connect.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { Invocation } from "../invocation.js";
import type { Io } from "../io.js";
import { Output } from "../output.js";
import { PasswordSource } from "../passwords.js";
import { login } from "./login.js";

export async function runPasswd(inv: Extract<Invocation, { command: "passwd" }>, io: Io): Promise<ExitCode> {
  const out = new Output(io, { json: inv.json, command: "passwd", name: "passwd" });
  const passwords = new PasswordSource(io, {
    stdin: inv.passwordStdin,
    adminStdin: inv.admin?.secretStdin,
    command: "passwd",
  });
  const { username } = inv;
  let admin: AdminPath | undefined;
  try {
    if (inv.admin) {
      // No login as the user: the admin sets the password, so only the new one is asked for.
      const next = await passwords.readNew(`New password for ${username}`);
      admin = await openAdminPath(inv.admin, inv.connect, { io, passwords, command: "passwd" });
      await admin.changePassword({ username, password: next });
      out.result({ kind: "passwd", username, via: "admin" });
      return out.end(EXIT.ok);
    }
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
    await admin?.close();
  }
}
