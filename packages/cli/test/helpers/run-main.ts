// main() in-process: the streams and environment it gets are these, stdin holds `input`, the output is collected.
import { PassThrough, Writable } from "node:stream";
import { main } from "../../src/main.js";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runMain(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const stdin = new PassThrough();
  stdin.end(options.input ?? "");
  const collect = () => {
    const sink = { text: "" };
    const stream = new Writable({
      write(chunk, _encoding, done) {
        sink.text += String(chunk);
        done();
      },
    });
    return { sink, stream: Object.assign(stream, { isTTY: false }) };
  };
  const stdout = collect();
  const stderr = collect();
  const code = await main(args, {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout.stream,
    stderr: stderr.stream as unknown as NodeJS.WriteStream,
    env: options.env ?? {},
  });
  return { code, stdout: stdout.sink.text, stderr: stderr.sink.text };
}
