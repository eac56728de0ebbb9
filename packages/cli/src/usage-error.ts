// Errors of the command line itself: a wrong invocation (exit 2) or an interrupted prompt (exit 130).
import type { CommandName } from "./commands.js";

/** The command line cannot be run as written; `command` picks the help text shown with it. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly command: CommandName | undefined;
  constructor(message: string, command?: CommandName) {
    super(message);
    this.command = command;
  }
}

/** The user pressed Ctrl-C at a prompt. */
export class InterruptedError extends Error {
  override name = "InterruptedError";
  constructor() {
    super("Interrupted");
  }
}
