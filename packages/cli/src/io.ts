// The process's standard streams and environment, passed in (the tests and main() never reach for globals themselves).

export interface Io {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  /** Where --admin finds its password or secret (REGUSER_ADMIN_PASSWORD…); none given, none read. */
  env?: Readonly<Record<string, string | undefined>>;
}
