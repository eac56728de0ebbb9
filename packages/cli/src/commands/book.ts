// The book's reguser: `host[:port]` makes an inquiry, `host[:port] field=value…` a registration attempt.
import { inquire, isRegistrationClosed, type NewAccount, type RegistrationInfo, register, StanzaError } from "reguser";
import { type AdminPath, openAdminPath } from "../admin/admin-path.js";
import { fieldsLeftOut, newUserOf } from "../admin/new-user.js";
import { streamOptions, withStream } from "../connect.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { Invocation } from "../invocation.js";
import type { Io } from "../io.js";
import { Output } from "../output.js";
import { PasswordSource } from "../passwords.js";
import { UsageError } from "../usage-error.js";

type BookInvocation = Extract<Invocation, { command: "book" }>;

export async function runBook(inv: BookInvocation, io: Io): Promise<ExitCode> {
  const attempt = inv.fields.length > 0;
  const out = new Output(io, { json: inv.json, command: "book", name: attempt ? "attempt" : "inquiry" });
  const username = inv.fields.find(([name]) => name === "username")?.[1];
  const passwords = new PasswordSource(io, {
    stdin: inv.passwordStdin,
    adminStdin: inv.admin?.secretStdin,
    command: "book",
  });
  let admin: AdminPath | undefined;
  try {
    if (!attempt) {
      await withStream(await streamOptions(inv.connect, "book"), async (stream) => {
        out.result({ kind: "inquiry", ...inquiryOf(await inquire(stream)) });
      });
      return out.end(EXIT.ok);
    }
    const account = await accountOf(inv, passwords, out, username);
    // Stdin stays open (closed at the end): the admin's credential is read only if the fallback is needed.
    if (inv.admin) admin = await openAdminPath(inv.admin, inv.connect, { io, passwords, command: "book" });
    else passwords.close();
    if (!admin?.only) {
      const refused = await attemptInBand(inv, account, admin !== undefined);
      if (refused === undefined || !admin) {
        out.result({ kind: "attempt", username });
        return out.end(EXIT.ok);
      }
      out.result({ kind: "fallback", step: "attempt", username, error: refused, label: admin.label });
    }
    const leftOut = fieldsLeftOut(account);
    if (leftOut.length > 0) {
      out.warn(`the admin path sends username, password, name and email, not ${leftOut.join(", ")}`);
    }
    await admin.createUser(newUserOf(account));
    out.result({ kind: "attempt", username, via: "admin" });
    return out.end(EXIT.ok);
  } catch (err) {
    return out.end(out.failure(attempt ? "attempt" : "inquiry", username, err));
  } finally {
    passwords.close();
    await admin?.close();
  }
}

/** Registers in-band; with `fallback`, a refusal of registration as such is returned rather than thrown. */
async function attemptInBand(inv: BookInvocation, account: NewAccount, fallback: boolean): Promise<Error | undefined> {
  return withStream(await streamOptions(inv.connect, "book"), async (stream) => {
    // The inquiry first (good practice: it tells `register` when the server wants its data form); its
    // error, if any, is left to the attempt to report, as the book's script would.
    const inquiry = await inquire(stream).catch((err: unknown) => {
      if (!(err instanceof StanzaError)) throw err;
      return undefined;
    });
    try {
      await register(stream, account, { inquiry });
      return undefined;
    } catch (err) {
      if (fallback && isRegistrationClosed(err)) return err as Error;
      throw err;
    }
  });
}

async function accountOf(
  inv: BookInvocation,
  passwords: PasswordSource,
  out: Output,
  username: string | undefined,
): Promise<NewAccount> {
  const account: Record<string, string> = {};
  for (const [name, value] of inv.fields) {
    if (name in account) throw new UsageError(`${name}= is given twice`);
    account[name] = value;
  }
  if ("password" in account) {
    if (inv.passwordStdin) throw new UsageError("give password= or --password-stdin, not both");
    out.warn("password=… on the command line lands in your shell history and in `ps`: prefer --password-stdin");
  } else if (passwords.available) {
    account.password = await passwords.read(`Password for ${username ?? "the new account"}`);
  } else if (inv.admin) {
    throw new UsageError("--admin needs the account's password: password=…, --password-stdin or a terminal");
  } else {
    // register() refuses an account without one before sending it, as every server would.
    throw new UsageError("an attempt needs a password: password=…, --password-stdin, or run on a terminal");
  }
  if (inv.admin && !account.username) throw new UsageError("--admin needs username=…");
  // As in the book, the fields go as given: the server says what is missing.
  return account as NewAccount;
}

/** The fields to show: the legacy ones, or a form's visible fields when the server offers only a form. */
function inquiryOf(info: RegistrationInfo) {
  const formFields = (info.form?.fields ?? [])
    .filter((f) => f.var !== undefined && f.var !== "FORM_TYPE" && f.type !== "hidden" && f.type !== "fixed")
    .map((f) => f.var as string);
  return {
    fields: info.fields.length > 0 ? info.fields : formFields,
    instructions: info.instructions,
    registered: info.registered,
    oobUrl: info.oobUrl,
  };
}
