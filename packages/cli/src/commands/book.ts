// The book's reguser: `host[:port]` makes an inquiry, `host[:port] field=value…` a registration attempt.
import { inquire, type NewAccount, type RegistrationInfo, register, StanzaError } from "reguser";
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
  const passwords = new PasswordSource(io, { stdin: inv.passwordStdin, command: "book" });
  try {
    const account = attempt ? await accountOf(inv, passwords, out, username) : undefined;
    await withStream(await streamOptions(inv.connect, "book"), async (stream) => {
      if (!account) {
        out.result({ kind: "inquiry", ...inquiryOf(await inquire(stream)) });
        return;
      }
      // The inquiry first (good practice: it tells `register` when the server wants its data form); its
      // error, if any, is left to the attempt to report, as the book's script would.
      await inquire(stream).catch((err: unknown) => {
        if (!(err instanceof StanzaError)) throw err;
      });
      await register(stream, account);
      out.result({ kind: "attempt", username });
    });
    return out.end(EXIT.ok);
  } catch (err) {
    return out.end(out.failure(attempt ? "attempt" : "inquiry", username, err));
  } finally {
    passwords.close();
  }
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
  } else {
    out.warn("no password given (password=…, --password-stdin or a terminal): the attempt is sent without one");
  }
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
