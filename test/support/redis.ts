// A throwaway redis-server from Debian: 127.0.0.1 only, a free port, no persistence, its own temp dir; stop() kills it.
import { accessSync, constants } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { budget, exitCheck, logReader, removeDir, tail } from "../servers/common.js";
import { freePort } from "../servers/ports.js";
import { killPid, spawnLogged, trackDir } from "../servers/proc.js";
import { type WaitOptions, waitForLog } from "../servers/wait.js";

export const REDIS_SERVER = "/usr/bin/redis-server";

/** Why Redis tests cannot run here, or undefined: for describeTarget. */
export function redisUnavailable(): string | undefined {
  try {
    accessSync(REDIS_SERVER, constants.X_OK);
    return undefined;
  } catch {
    return "redis-server is not installed (apt-get install redis-server)";
  }
}

export interface RedisOptions {
  /** `requirepass`: clients must AUTH with it (it goes into `url`). Default none. */
  password?: string;
  /** This port instead of a free one (to start Redis again where a client expects it). */
  port?: number;
  /** Start timeout in ms; default 30000 (it only guards against a hang). */
  startTimeoutMs?: number;
}

export interface RunningRedis {
  /** `redis://127.0.0.1:port`, with the password when there is one. */
  url: string;
  port: number;
  dir: string;
  log(): Promise<string>;
  /** Kills redis-server (SIGTERM, then SIGKILL) and removes its dir; safe to call twice. */
  stop(): Promise<void>;
}

/** A free port found by listen-on-0 can be taken by a parallel test before redis-server binds it. */
const PORT_TAKEN = /Address already in use/i;

/** Starts redis-server; retried on fresh ports (up to twice) when the port turned out to be taken. */
export async function startRedis(options: RedisOptions = {}): Promise<RunningRedis> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      const taken = PORT_TAKEN.test(err instanceof Error ? err.message : String(err));
      if (options.port !== undefined || attempt >= 3 || !taken) throw err;
    }
  }
}

async function startOnce(options: RedisOptions): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), "reguser-redis-"));
  trackDir(dir);
  const logFile = join(dir, "redis.log");
  const log = logReader([logFile, join(dir, "stdout.log")]);
  let pid: number | undefined;
  const shutdown = async () => {
    if (pid !== undefined) await killPid(pid, 5000);
  };
  try {
    const left = budget(options.startTimeoutMs ?? 30_000);
    const port = options.port ?? (await freePort());
    const args = ["--bind", "127.0.0.1", "--port", String(port), "--protected-mode", "yes", "--daemonize", "no"];
    args.push("--save", "", "--appendonly", "no", "--dir", dir, "--logfile", logFile);
    if (options.password !== undefined) args.push("--requirepass", options.password);
    const proc = spawnLogged(REDIS_SERVER, args, { cwd: dir, logFile: join(dir, "stdout.log") });
    pid = proc.pid;
    const check = exitCheck(proc);
    await waitForLog(log, /Ready to accept connections/, {
      timeoutMs: left(),
      check,
      failOn: /Could not create server TCP listening socket.*|Address already in use.*|Fatal.*/,
    });
    await waitForPing(port, { timeoutMs: left(), check });
    const auth = options.password === undefined ? "" : `:${encodeURIComponent(options.password)}@`;
    let stopping: Promise<void> | undefined;
    return {
      url: `redis://${auth}127.0.0.1:${port}`,
      port,
      dir,
      log,
      stop: () => {
        stopping ??= shutdown().finally(() => removeDir(dir));
        return stopping;
      },
    };
  } catch (err) {
    const text = await log().catch(() => "");
    await shutdown().catch(() => {});
    await removeDir(dir).catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`redis-server failed to start: ${message}\n--- log tail (${dir}) ---\n${tail(text)}`, {
      cause: err,
    });
  }
}

/** Resolves once 127.0.0.1:port answers PING (NOAUTH counts: it answered); throws after timeoutMs. */
async function waitForPing(port: number, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.check?.();
    const reply = await redisCommand(port, ["PING"]).catch(() => "");
    if (reply === "+PONG" || reply.startsWith("-NOAUTH")) return;
    if (Date.now() >= deadline) throw new Error(`127.0.0.1:${port} did not answer PING within ${options.timeoutMs} ms`);
    await sleep(options.intervalMs ?? 50);
  }
}

/**
 * Sends one command to the Redis at 127.0.0.1:port, without a password, and resolves with the first line of its
 * reply (`+PONG`, `:42`, `$-1`, `-ERR …`). For checks beside the client under test.
 */
export function redisCommand(port: number, args: string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let received = "";
    const done = (err: Error | undefined, line = "") => {
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.destroy();
      if (err) reject(err);
      else resolve(line);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no reply from 127.0.0.1:${port} within ${timeoutMs} ms`)));
    socket.once("error", (err) => done(err));
    socket.once("close", () => done(new Error(`127.0.0.1:${port} closed the connection`)));
    socket.on("data", (chunk) => {
      received += chunk.toString("utf8");
      const end = received.indexOf("\r\n");
      if (end >= 0) done(undefined, received.slice(0, end));
    });
    socket.once("connect", () => {
      const parts = args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`);
      socket.write(`*${args.length}\r\n${parts.join("")}`);
    });
  });
}
