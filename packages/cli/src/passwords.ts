// Where a password comes from: --password-stdin, else a prompt on a terminal, else nowhere (a usage error).
import type { CommandName } from "./commands.js";
import type { Io } from "./io.js";
import { promptHidden } from "./prompt.js";
import { StdinLines } from "./stdin-lines.js";
import { UsageError } from "./usage-error.js";

export class PasswordSource {
  readonly #io: Io;
  readonly #command: CommandName;
  /** One reader for stdin, shared by the account passwords and the admin's (their lines come in that order). */
  readonly #lines: StdinLines | undefined;
  readonly #accountsFromStdin: boolean;
  readonly #adminFromStdin: boolean;

  /** `adminStdin`: --admin-password-stdin, a line after the account passwords. */
  constructor(io: Io, options: { stdin: boolean; adminStdin?: boolean; command: CommandName }) {
    this.#io = io;
    this.#command = options.command;
    this.#accountsFromStdin = options.stdin;
    this.#adminFromStdin = options.adminStdin ?? false;
    this.#lines = options.stdin || this.#adminFromStdin ? new StdinLines(io.stdin) : undefined;
  }

  /** A password can be had: --password-stdin was given or stdin is a terminal. */
  get available(): boolean {
    return this.#accountsFromStdin || this.#io.stdin.isTTY === true;
  }

  /** Read the next password; `what` names it in the prompt ("Password for joseph: "). */
  read(what: string): Promise<string> {
    return this.#readNonEmpty(what, this.#accountsFromStdin ? "--password-stdin" : undefined);
  }

  /** The admin's password or secret, from stdin (--admin-password-stdin) or a prompt. */
  readAdmin(what: string): Promise<string> {
    return this.#readNonEmpty(what, this.#adminFromStdin ? "--admin-password-stdin" : undefined);
  }

  async #readNonEmpty(what: string, stdinFlag: string | undefined): Promise<string> {
    const password = await this.#readRaw(what, stdinFlag);
    if (password === "") throw new UsageError(`${what}: empty`, this.#command);
    return password;
  }

  async #readRaw(what: string, stdinFlag: string | undefined): Promise<string> {
    if (stdinFlag && this.#lines) {
      const line = await this.#lines.next();
      if (line === undefined) throw new UsageError(`${stdinFlag}: stdin ended before the ${what}`, this.#command);
      return line;
    }
    if (this.#io.stdin.isTTY) return promptHidden(`${what}: `, this.#io.stdin, this.#io.stderr);
    throw new UsageError(`${what} needed: pass --password-stdin, or run on a terminal to be prompted`, this.#command);
  }

  /** A new password, typed twice on a terminal. */
  async readNew(what: string): Promise<string> {
    const first = await this.read(what);
    if (this.#accountsFromStdin || !this.#io.stdin.isTTY) return first;
    const again = await this.read("Repeat the new password");
    if (again !== first) throw new UsageError("the two new passwords differ", this.#command);
    return first;
  }

  close(): void {
    this.#lines?.close();
  }
}
