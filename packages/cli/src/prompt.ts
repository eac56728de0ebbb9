// Ask for a password on the terminal without echoing it (raw mode; Backspace edits, Ctrl-C interrupts).
import { InterruptedError } from "./usage-error.js";

const ENTER = new Set(["\r", "\n", "\u0004"]);
const ERASE = new Set(["\u007f", "\b"]);
const CTRL_C = "\u0003";

export function promptHidden(
  question: string,
  input: NodeJS.ReadStream,
  output: NodeJS.WritableStream,
): Promise<string> {
  output.write(question);
  return new Promise((resolve, reject) => {
    let value = "";
    const done = (settle: () => void) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      output.write("\n");
      settle();
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ENTER.has(ch)) return done(() => resolve(value));
        if (ch === CTRL_C) return done(() => reject(new InterruptedError()));
        if (ERASE.has(ch)) value = Array.from(value).slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
    };
    input.setRawMode(true);
    input.setEncoding("utf8");
    input.on("data", onData);
    input.resume();
  });
}
