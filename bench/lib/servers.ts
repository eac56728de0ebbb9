// The servers a bench run measures, started exactly as the test suite starts them (throttles off, 127.0.0.1).
import {
  type RunningServer,
  type ServerOptions,
  serverBinaryAvailable,
  startServer,
} from "../../test/servers/index.js";

export const SERVER_IDS = ["prosody-fast", "ejabberd", "prosody", "jabberd2"] as const;
export type ServerId = (typeof SERVER_IDS)[number];

export const SERVER_LABELS: Record<ServerId, string> = {
  "prosody-fast": "Prosody, internal_plain + memory (fast: true)",
  ejabberd: "ejabberd, auth_password_format plain (harness default)",
  prosody: "Prosody, internal_hashed (harness default)",
  jabberd2: "jabberd2 2.7, SQLite (harness default; loses pipelined replies: one request at a time)",
};

/** Where the client's speed shows: the concurrency sweep and the memory rows run only here. */
export function clientBound(id: ServerId): boolean {
  return id === "prosody-fast" || id === "ejabberd";
}

/** jabberd2 answers only one of several pipelined registrations (docs/traps.md#trap-2): its limit is one at a time. */
export function oneAtATime(id: ServerId): boolean {
  return id === "jabberd2";
}

export function available(id: ServerId): boolean {
  return serverBinaryAvailable(id === "prosody-fast" ? "prosody" : id);
}

const running = new Set<RunningServer>();

/** `options` adds to the harness defaults (admins, say); `fast` is the server id's. */
export async function start(id: ServerId, options: Omit<ServerOptions, "fast"> = {}): Promise<RunningServer> {
  const server =
    id === "prosody" || id === "prosody-fast"
      ? await startServer("prosody", { ...options, fast: id === "prosody-fast" })
      : await startServer(id, options);
  running.add(server);
  return server;
}

export async function stop(server: RunningServer): Promise<void> {
  running.delete(server);
  await server.stop();
}

/** Every server still running (a failed or interrupted run): stopped before the process exits. */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...running].map((s) => stop(s)));
}
