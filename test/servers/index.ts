// Public surface of the real-server harness for the test suites.
import { accessSync, constants } from "node:fs";
import { EJABBERD_BINARIES, startEjabberd } from "./ejabberd.js";
import { JABBERD2_BINARIES, startJabberd2 } from "./jabberd2.js";
import { PROSODY_BINARIES, startProsody } from "./prosody.js";
import { type RunningServer, resolveOptions, type ServerKind, type ServerOptions } from "./types.js";

export type { Account, RunningServer, ServerKind, ServerOptions } from "./types.js";

const BINARIES: Record<ServerKind, string[]> = {
  prosody: PROSODY_BINARIES,
  ejabberd: EJABBERD_BINARIES,
  jabberd2: JABBERD2_BINARIES,
};

/** Synchronous check that the server's binaries are installed (and openssl, for tls). */
export function serverBinaryAvailable(kind: ServerKind): boolean {
  return BINARIES[kind].every((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Starts a throwaway server bound to 127.0.0.1 only; call stop() when done. */
export function startServer(kind: ServerKind, options?: ServerOptions): Promise<RunningServer> {
  const resolved = resolveOptions(options);
  switch (kind) {
    case "prosody":
      return startProsody(resolved);
    case "ejabberd":
      return startEjabberd(resolved);
    case "jabberd2":
      return startJabberd2(resolved);
    default:
      return Promise.reject(new Error(`unknown server kind: ${String(kind)}`));
  }
}
