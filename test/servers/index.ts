// Public surface of the real-server harness for the test suites.
import { accessSync, constants } from "node:fs";
import { EJABBERD_BINARIES, startEjabberd } from "./ejabberd.js";

export { ejabberdCaptchaKeys } from "./ejabberd.js";

import { JABBERD2_BINARIES, jabberd2Available, startJabberd2 } from "./jabberd2.js";
import { PROSODY_BINARIES, startProsody } from "./prosody.js";
import { type RunningServer, resolveOptions, type ServerKind, type ServerOptions } from "./types.js";

export { prosodyInvite } from "./prosody.js";
export type { Account, RunningServer, ServerKind, ServerOptions } from "./types.js";

const BINARIES: Record<ServerKind, string[]> = {
  prosody: PROSODY_BINARIES,
  ejabberd: EJABBERD_BINARIES,
  jabberd2: JABBERD2_BINARIES,
};

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Synchronous check that the server's binaries are installed. jabberd2 also needs its sqlite
 * schema and the sqlite3 CLI (not a dependency of the jabberd2 package) or python3.
 */
export function serverBinaryAvailable(kind: ServerKind): boolean {
  if (!BINARIES[kind]?.every(executable)) return false;
  return kind === "jabberd2" ? jabberd2Available() : true;
}

/** A free port found by listen-on-0 can be taken by a parallel test before the server binds it. */
const PORT_TAKEN =
  /address already in use|eaddrinuse|failed to listen|Failed to open server port|Failed to open socket/i;

/**
 * Starts a throwaway server bound to 127.0.0.1 only; call stop() when done. Retried (fresh ports)
 * up to twice when a port turned out to be taken.
 */
export async function startServer(kind: ServerKind, options?: ServerOptions): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(kind, options);
    } catch (err) {
      if (attempt >= 3 || !PORT_TAKEN.test(err instanceof Error ? err.message : String(err))) throw err;
    }
  }
}

function startOnce(kind: ServerKind, options?: ServerOptions): Promise<RunningServer> {
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
