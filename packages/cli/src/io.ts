// The process's standard streams, passed in (the tests and main() never reach for globals themselves).

export interface Io {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}
