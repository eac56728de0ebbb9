// The servers a bench run measures, started exactly as the test suite starts them (throttles off, 127.0.0.1).
import {
  type RunningServer,
  type ServerOptions,
  serverBinaryAvailable,
  startServer,
} from "../../test/servers/index.js";

export const SERVER_IDS = ["prosody-fast", "ejabberd", "prosody"] as const;
export type ServerId = (typeof SERVER_IDS)[number];

export const SERVER_LABELS: Record<ServerId, string> = {
  "prosody-fast": "Prosody, internal_plain + memory (fast: true)",
  ejabberd: "ejabberd, auth_password_format plain (harness default)",
  prosody: "Prosody, internal_hashed (harness default)",
};

/** Where the client's speed shows: the concurrency sweep and the memory rows run only here. */
export function clientBound(id: ServerId): boolean {
  return id !== "prosody";
}

export function available(id: ServerId): boolean {
  return serverBinaryAvailable(id === "ejabberd" ? "ejabberd" : "prosody");
}

const running = new Set<RunningServer>();

/** `options` adds to the harness defaults (admins, say); `fast` is the server id's. */
export async function start(id: ServerId, options: Omit<ServerOptions, "fast"> = {}): Promise<RunningServer> {
  const server =
    id === "ejabberd"
      ? await startServer("ejabberd", options)
      : await startServer("prosody", { ...options, fast: id === "prosody-fast" });
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
