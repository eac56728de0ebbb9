// Open the stream the flags describe: host, port, domain, TLS mode, CA file, legacy header, timeout.
import { readFile } from "node:fs/promises";
import { type OpenStreamOptions, openStream, type XmppStream } from "reguser";
import type { CommandName } from "./commands.js";
import type { ConnectFlags } from "./invocation.js";
import { UsageError } from "./usage-error.js";

export async function streamOptions(flags: ConnectFlags, command: CommandName): Promise<OpenStreamOptions> {
  const { target } = flags;
  // Over WebSocket the URL says where and how; --tls, --legacy and --local-address are refused when parsed.
  const where =
    target.url === undefined
      ? {
          host: target.host,
          ...(target.port === undefined ? {} : { port: target.port }),
          tls: flags.tls,
          legacy: flags.legacy,
          ...(flags.localAddress === undefined ? {} : { localAddress: flags.localAddress }),
        }
      : { url: target.url };
  return {
    ...where,
    ...(flags.domain === undefined ? {} : { domain: flags.domain }),
    allowInsecure: flags.insecure,
    ...(flags.timeout === undefined ? {} : { timeout: flags.timeout }),
    ...(flags.ca === undefined ? {} : { ca: await readCa(flags.ca, command) }),
  };
}

async function readCa(path: string, command: CommandName): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new UsageError(`--ca ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, command);
  }
}

/** Run `work` on a fresh stream and always close it (a removed account's stream is already closed). */
export async function withStream<T>(options: OpenStreamOptions, work: (stream: XmppStream) => Promise<T>): Promise<T> {
  const stream = await openStream(options);
  try {
    return await work(stream);
  } finally {
    await stream.close().catch(() => undefined);
  }
}
