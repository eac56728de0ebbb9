// XEP-0077 §3.2 Entity Cancels an Existing Registration: log in, then remove the account (or --admin deletes it).
import { removeAccount } from "reguser";
import { type AdminPath, openAdminPath } from "../admin/admin-path.js";
import { streamOptions, withStream } from "../connect.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { Invocation } from "../invocation.js";
import type { Io } from "../io.js";
import { Output } from "../output.js";
import { PasswordSource } from "../passwords.js";
import { login } from "./login.js";

export async function runRemove(inv: Extract<Invocation, { command: "remove" }>, io: Io): Promise<ExitCode> {
  const out = new Output(io, { json: inv.json, command: "remove", name: "remove" });
  const passwords = new PasswordSource(io, {
    stdin: inv.passwordStdin,
    adminStdin: inv.admin?.secretStdin,
    command: "remove",
  });
  const { username } = inv;
  let admin: AdminPath | undefined;
  try {
    if (inv.admin) {
      // No login as the user, so no password of theirs.
      admin = await openAdminPath(inv.admin, inv.connect, { io, passwords, command: "remove" });
      await admin.removeUser(username);
      out.result({ kind: "remove", username, via: "admin" });
      return out.end(EXIT.ok);
    }
    const password = await passwords.read(`Password for ${username}`);
    await withStream(await streamOptions(inv.connect, "remove"), async (stream) => {
      await login(stream, inv, password);
      await removeAccount(stream);
    });
    out.result({ kind: "remove", username });
    return out.end(EXIT.ok);
  } catch (err) {
    return out.end(out.failure("remove", username, err));
  } finally {
    passwords.close();
    await admin?.close();
  }
}
