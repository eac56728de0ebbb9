// What every server start shares: the throwaway dir, the log reader, the RunningServer handle
// and the failure path (kill, remove the dir, throw with the log tail).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trackDir, untrackDir } from "./proc.js";
import type { RunningServer, ServerKind } from "./types.js";

export async function makeDir(kind: ServerKind): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `reguser-${kind}-`));
  trackDir(dir);
  return dir;
}

export function logReader(files: string[]): () => Promise<string> {
  return async () => {
    const parts = await Promise.all(
      files.map(async (f) => {
        try {
          const text = await readFile(f, "utf8");
          return text ? `==> ${f} <==\n${text}` : "";
        } catch {
          return "";
        }
      }),
    );
    return parts.filter(Boolean).join("\n");
  };
}

export async function removeDir(dir: string): Promise<void> {
  if (!process.env.REGUSER_KEEP_SERVER_DIRS) await rm(dir, { recursive: true, force: true });
  untrackDir(dir);
}

export interface HandleParts {
  kind: ServerKind;
  port: number;
  domain: string;
  dir: string;
  /** The self-signed certificate made for tls: true; its PEM becomes the handle's `ca`. */
  cert?: { certPem: string } | undefined;
  /** The WebSocket endpoint, when the server was started with one. */
  webSocketUrl?: string | undefined;
  /** Its wss:// endpoint, when it has one. */
  webSocketSecureUrl?: string | undefined;
  log: () => Promise<string>;
  /** Stops the processes (must leave none behind); the dir is removed afterwards. */
  shutdown: () => Promise<void>;
}

export function makeHandle(parts: HandleParts): RunningServer {
  let stopping: Promise<void> | undefined;
  const handle: RunningServer = {
    kind: parts.kind,
    host: "127.0.0.1",
    port: parts.port,
    domain: parts.domain,
    dir: parts.dir,
    log: parts.log,
    stop: () => {
      stopping ??= (async () => {
        try {
          await parts.shutdown();
        } finally {
          await removeDir(parts.dir);
        }
      })();
      return stopping;
    },
  };
  if (parts.cert !== undefined) handle.ca = parts.cert.certPem;
  if (parts.webSocketUrl !== undefined) handle.webSocketUrl = parts.webSocketUrl;
  if (parts.webSocketSecureUrl !== undefined) handle.webSocketSecureUrl = parts.webSocketSecureUrl;
  return handle;
}

/** A check for the start-up waits: throws as soon as one of the server's processes has exited. */
export function exitCheck(...procs: { exitReason(): string | undefined }[]): () => void {
  return () => {
    for (const proc of procs) {
      const reason = proc.exitReason();
      if (reason) throw new Error(reason);
    }
  };
}

/** Milliseconds left of a start-up budget. */
export function budget(timeoutMs: number): () => number {
  const started = Date.now();
  return () => Math.max(0, timeoutMs - (Date.now() - started));
}

/** The last lines of a log; of each file's section when logReader() joined several. */
export function tail(text: string, lines = 40): string {
  const last = (t: string, n: number) => t.trimEnd().split("\n").slice(-n).join("\n");
  const sections = text.split(/^(?===> .* <==$)/m).filter((s) => s.trim());
  if (sections.length <= 1) return last(text, lines);
  const per = Math.max(8, Math.floor(lines / sections.length));
  return sections.map((s) => `${s.split("\n")[0]}\n${last(s.split("\n").slice(1).join("\n"), per)}`).join("\n");
}

/** Runs start(); on failure runs cleanup, removes dir and rethrows with the log tail. */
export async function startOrClean<T>(
  kind: ServerKind,
  dir: string,
  log: () => Promise<string>,
  cleanup: () => Promise<void>,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const text = await log().catch(() => "");
    await cleanup().catch(() => {});
    await removeDir(dir).catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${kind} failed to start: ${message}\n--- log tail (${dir}) ---\n${tail(text)}`, { cause: err });
  }
}
