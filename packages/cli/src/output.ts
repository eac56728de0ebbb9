// Where results and errors go: the book's lines on stdout (human), or one JSON object per run (--json).
import type { CommandName } from "./commands.js";
import { EXIT, type ExitCode, exitCodeOf } from "./exit-codes.js";
import { errorLine, humanLine } from "./format-human.js";
import { type JsonRecord, jsonError, jsonOf } from "./format-json.js";
import { usageErrorText } from "./help.js";
import type { Io } from "./io.js";
import type { Result, Step } from "./results.js";
import { terminalSafe } from "./terminal-safe.js";
import { UsageError } from "./usage-error.js";

export class Output {
  readonly #io: Io;
  readonly #json: boolean;
  readonly #record: JsonRecord;
  readonly #command: CommandName;

  /** `name` is what JSON calls the run: `inquiry`, `attempt`, `passwd`… */
  constructor(io: Io, options: { json: boolean; command: CommandName; name: string }) {
    this.#io = io;
    this.#json = options.json;
    this.#command = options.command;
    this.#record = { command: options.name };
  }

  get json(): boolean {
    return this.#json;
  }

  result(result: Result): void {
    if (this.#json) Object.assign(this.#record, jsonOf(result));
    else this.#io.stdout.write(`${humanLine(result)}\n`);
  }

  /** Report a failure the way its class calls for; returns the exit status it means. */
  failure(step: Step, username: string | undefined, err: unknown): ExitCode {
    const code = exitCodeOf(err);
    const message = terminalSafe(err instanceof Error ? err.message : String(err));
    if (this.#json) {
      if (username !== undefined) this.#record.username = username;
      this.#record.error = jsonError(err);
      if (code === EXIT.usage) this.#io.stderr.write(`reguser: ${message}\n`);
    } else if (err instanceof UsageError) {
      this.#io.stderr.write(usageErrorText(message, err.command ?? this.#command));
    } else if (code === EXIT.failed) {
      this.#io.stdout.write(`${errorLine(step, username, err)}\n`);
    } else {
      // The library's message carries its hint where the fix is known (host-unknown: --domain; certificates: --ca).
      this.#io.stderr.write(`reguser: ${message}\n`);
    }
    return code;
  }

  warn(message: string): void {
    this.#io.stderr.write(`reguser: warning: ${message}\n`);
  }

  /** Ends the run: in --json mode, prints its one object. */
  end(code: ExitCode): ExitCode {
    if (this.#json) {
      const { command, ...rest } = this.#record;
      this.#io.stdout.write(`${JSON.stringify({ command, ok: code === EXIT.ok, ...rest })}\n`);
    }
    return code;
  }
}
