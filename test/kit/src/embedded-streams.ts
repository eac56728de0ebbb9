// Streams to a fresh embedded server, one server per test: started by the first open() or start() of a test, with
// that call's options, and closed with every stream opened to it after the test.
import { type EmbeddedServer, type ServerOptions, startServer } from "@reguser/server";
import { openStream, type XmppStream } from "@reguser/stream";
import { afterEach } from "vitest";

/** How long each stream waits for the server: far more than a test on a busy machine needs. */
const STREAM_TIMEOUT_MS = 20_000;

export interface EmbeddedStreams {
  /** The test's server, started with `defaults` and then `options` when it is not running yet. */
  start(options?: ServerOptions): Promise<EmbeddedServer>;
  /** A new stream to the test's server, which the first call of a test starts (see `start`). */
  open(options?: ServerOptions): Promise<XmppStream>;
  /** The test's server, once started; undefined before and after. */
  readonly server: EmbeddedServer | undefined;
}

/**
 * Call once per test file (at the top level or in a `describe`): registers an `afterEach` that closes the streams
 * and the server. `open` and `start` need no `this`, so `const { open } = embeddedStreams()` works.
 */
export function embeddedStreams(defaults: ServerOptions = {}): EmbeddedStreams {
  let server: EmbeddedServer | undefined;
  const streams: XmppStream[] = [];
  afterEach(async () => {
    await Promise.all(streams.splice(0).map((s) => s.close()));
    await server?.close();
    server = undefined;
  });
  const start = async (options: ServerOptions = {}): Promise<EmbeddedServer> => {
    server ??= await startServer({ ...defaults, ...options });
    return server;
  };
  const open = async (options: ServerOptions = {}): Promise<XmppStream> => {
    const { host, port, domain } = await start(options);
    const stream = await openStream({ host, port, domain, timeout: STREAM_TIMEOUT_MS });
    streams.push(stream);
    return stream;
  };
  return {
    start,
    open,
    get server() {
      return server;
    },
  };
}
