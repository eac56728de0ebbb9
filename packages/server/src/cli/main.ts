// reguser-server: parse the command line, start the server, say where it listens, close it on SIGINT or SIGTERM.
import { readFileSync } from "node:fs";
import type { ServerOptions, TlsCredentials } from "../options.js";
import { startServer } from "../start-server.js";
import { parseServerArgs } from "./args.js";
import { helpText } from "./help.js";
import { UsageError } from "./usage-error.js";

/** Where the command writes (the process's own streams, or a test's). */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** The signals that stop the server (the process, or a test's emitter). */
export interface StopSignals {
  once(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
  off(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
}

/** 0 stopped by a signal (or --help), 1 could not start, 2 usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
/** One of `EXIT`. */
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

const NAME = "reguser-server";

/** Runs until a stop signal (then closes the server) and resolves with the exit status. */
export async function runServerCli(argv: readonly string[], io: CliIo, signals: StopSignals): Promise<ExitStatus> {
  let options: ServerOptions;
  try {
    const request = parseServerArgs(argv);
    if (request.kind === "help") {
      io.stdout.write(helpText());
      return EXIT.ok;
    }
    const tls = request.tlsFiles && readTls(request.tlsFiles);
    const log = request.log ? (line: string) => io.stderr.write(`${line}\n`) : undefined;
    options = { ...request.options, ...(tls ? { tls } : {}), ...(log ? { log } : {}) };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`${NAME}: ${err.message} (see ${NAME} --help)\n`);
    return EXIT.usage;
  }

  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(options);
  } catch (err) {
    io.stderr.write(`${NAME}: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failed;
  }
  const host = server.host.includes(":") ? `[${server.host}]` : server.host;
  io.stdout.write(`${NAME} listening on ${host}:${server.port} (domain ${server.domain})\n`);
  if (server.webSocketUrl) io.stdout.write(`${NAME} WebSocket at ${server.webSocketUrl}\n`);

  const signal = await new Promise<string>((resolve) => {
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    const stop = (name: string) => {
      signals.off("SIGINT", onInt);
      signals.off("SIGTERM", onTerm);
      resolve(name);
    };
    signals.once("SIGINT", onInt);
    signals.once("SIGTERM", onTerm);
  });
  await server.close();
  io.stdout.write(`${NAME} stopped (${signal})\n`);
  return EXIT.ok;
}

function readTls(files: { cert: string; key: string }): TlsCredentials {
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new UsageError(`cannot read ${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
    }
  };
  return { cert: read("--tls-cert", files.cert), key: read("--tls-key", files.key) };
}
