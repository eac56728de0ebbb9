// The book's reguser: `host[:port]` makes an inquiry, `host[:port] field=value…` a registration attempt.
import { writeFile } from "node:fs/promises";
import {
  type Captcha,
  createAccount,
  type Invite,
  inquire,
  type NewAccount,
  parseInviteUri,
  type RegistrationInfo,
} from "reguser";
import { type AdminPath, openAdminPath } from "../admin/admin-path.js";
import { streamOptions, withStream } from "../connect.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { Invocation } from "../invocation.js";
import type { Io } from "../io.js";
import { Output } from "../output.js";
import { PasswordSource } from "../passwords.js";
import { UsageError } from "../usage-error.js";

type BookInvocation = Extract<Invocation, { command: "book" }>;

export async function runBook(inv: BookInvocation, io: Io): Promise<ExitCode> {
  const attempt = inv.fields.length > 0 || inv.invite !== undefined;
  const out = new Output(io, { json: inv.json, command: "book", name: attempt ? "attempt" : "inquiry" });
  let invite: Invite | undefined;
  try {
    invite = inv.invite === undefined ? undefined : parseInviteUri(inv.invite);
  } catch (err) {
    return out.end(out.failure("attempt", undefined, new UsageError(`--invite: ${(err as Error).message}`)));
  }
  // An invite that fixes the name gives it; username=… must then agree (register() refuses another).
  const username = inv.fields.find(([name]) => name === "username")?.[1] ?? invite?.username;
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
    if (username !== undefined) account.username ??= username;
    // Stdin stays open (closed at the end): a CAPTCHA's answer, and the admin's credential only if the fallback is
    // needed, come after the password.
    if (inv.admin) admin = await openAdminPath(inv.admin, inv.connect, { io, passwords, command: "book" });
    const created = await createAccount(await streamOptions(inv.connect, "book"), account, {
      admin,
      inBand: !admin?.only,
      invite,
      solveCaptcha: (captcha) => answerCaptcha(captcha, inv, io, passwords),
      onAdmin: (refusal) => {
        const label = admin?.label ?? "";
        if (refusal) out.result({ kind: "fallback", step: "attempt", username, error: refusal, label });
        const leftOut = fieldsLeftOut(account);
        if (leftOut.length > 0) {
          out.warn(`the admin path sends username, password, name and email, not ${leftOut.join(", ")}`);
        }
      },
    });
    out.result(created.via === "admin" ? { kind: "attempt", username, via: "admin" } : { kind: "attempt", username });
    return out.end(EXIT.ok);
  } catch (err) {
    return out.end(out.failure(attempt ? "attempt" : "inquiry", username, err));
  } finally {
    passwords.close();
    await admin?.close();
  }
}

/**
 * A person answers the CAPTCHA: its image goes to --captcha-out (else its web page is named), then the answer is
 * read like a password (the next line with --password-stdin, else a prompt).
 */
async function answerCaptcha(captcha: Captcha, inv: BookInvocation, io: Io, passwords: PasswordSource) {
  if (inv.captchaOut && captcha.media) {
    await writeFile(inv.captchaOut, captcha.media.bytes).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`--captcha-out ${inv.captchaOut}: ${err.code ?? String(err)}`, "book");
    });
    io.stderr.write(
      `reguser: the server asks for a CAPTCHA: its image (${captcha.media.type}) is in ${inv.captchaOut}\n`,
    );
  } else {
    const where = captcha.url ? `see ${captcha.url}` : "pass --captcha-out FILE to get its image";
    io.stderr.write(`reguser: the server asks for a CAPTCHA: ${where}\n`);
  }
  return passwords.read("CAPTCHA answer");
}

/** Fields of `account` the admin path does not send (the book's form takes any field=value). */
function fieldsLeftOut(account: NewAccount): string[] {
  return Object.keys(account).filter((field) => !["username", "password", "name", "email"].includes(field));
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
