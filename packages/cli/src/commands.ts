// The command names: the book's form (no subcommand) and the subcommands beyond it.

export const COMMANDS = {
  /** `reguser host[:port] [field=value…]`: the book's inquiry or attempt. */
  book: "book",
  passwd: "passwd",
  remove: "remove",
  auth: "auth",
  bulk: "bulk",
  /** `reguser doctor host[:port]`: what registration meets on a server, and what to change. */
  doctor: "doctor",
  help: "help",
} as const;

export type CommandName = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Subcommands typed as the first argument (the book's form has none). */
export const SUBCOMMANDS: readonly string[] = ["passwd", "remove", "auth", "bulk", "doctor", "help"];

export function isSubcommand(word: string | undefined): word is Exclude<CommandName, "book"> {
  return word !== undefined && SUBCOMMANDS.includes(word);
}
