// A command line that cannot be run as written: one line on stderr, a pointer to --help, exit status 2.

/** The message names the flag and what is wrong with it; never a value that could be a secret. */
export class UsageError extends Error {
  override name = "UsageError";
}
