// --password-stdin: successive lines of stdin, read only when asked for, one per password.
import { createInterface, type Interface } from "node:readline";

export class StdinLines {
  readonly #input: NodeJS.ReadableStream;
  #rl: Interface | undefined;
  #lines: AsyncIterator<string> | undefined;

  constructor(input: NodeJS.ReadableStream) {
    this.#input = input;
  }

  /** The next line without its line break; undefined once stdin has ended. */
  async next(): Promise<string | undefined> {
    if (!this.#lines) {
      this.#rl = createInterface({ input: this.#input, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
      this.#lines = this.#rl[Symbol.asyncIterator]();
    }
    const line = await this.#lines.next();
    return line.done ? undefined : line.value;
  }

  /** Stop reading, so that an open stdin does not keep the process alive. */
  close(): void {
    this.#rl?.close();
    this.#input.pause();
  }
}
