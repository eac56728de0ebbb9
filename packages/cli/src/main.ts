// Parse the command line, run the command, return the exit status (bin.ts hands it to the process).
import { readFileSync } from "node:fs";
import { parseCommandLine } from "./args.js";
import { runAuth } from "./commands/auth.js";
import { runBook } from "./commands/book.js";
import { runBulk } from "./commands/bulk.js";
import { runDoctor } from "./commands/doctor.js";
import { runPasswd } from "./commands/passwd.js";
import { runRemove } from "./commands/remove.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { helpText, usageErrorText } from "./help.js";
import type { Invocation } from "./invocation.js";
import type { Io } from "./io.js";
import { UsageError } from "./usage-error.js";

/**
 * Run the `reguser` command line `argv` (without node and the script) with `io` for its input and output; resolves with
 * the exit status. A usage error prints one line and a pointer to `--help`; no arguments print the usage.
 */
export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  let inv: Invocation;
  try {
    inv = parseCommandLine(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // No arguments at all: the book printed its usage; we do too, as a usage error. Otherwise one line.
    io.stderr.write(argv.length === 0 ? helpText(undefined) : usageErrorText(err.message, err.command));
    return EXIT.usage;
  }
  switch (inv.command) {
    case "help":
      io.stdout.write(helpText(inv.topic));
      return EXIT.ok;
    case "version":
      io.stdout.write(`reguser ${version()}\n`);
      return EXIT.ok;
    case "book":
      return runBook(inv, io);
    case "passwd":
      return runPasswd(inv, io);
    case "remove":
      return runRemove(inv, io);
    case "auth":
      return runAuth(inv, io);
    case "bulk":
      return runBulk(inv, io);
    case "doctor":
      return runDoctor(inv, io);
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
