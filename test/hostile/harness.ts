// The invariants every hostile-server case checks: typed errors, sockets closed, no timers left, no secret leaked.
import { inspect } from "node:util";
import { XmppError } from "@reguser/errors";
import { digestPassword, sha1hex } from "@reguser/protocol";
import { type OpenStreamOptions, openStream, type XmppStream } from "@reguser/stream";
import { type Script, type ScriptedServer, scriptedServer } from "@reguser/test-kit";
import { expect } from "vitest";
import {
  type ScriptedWebSocketOptions,
  type ScriptedWebSocketServer,
  scriptedWebSocketServer,
  type WebSocketPeer,
} from "./websocket-server.js";

/** A password distinctive enough that finding it anywhere is a leak, not a coincidence. */
export const PASSWORD = "Tr0ub4dor&3-hostile";

export interface HostileContext {
  /** Start a scripted server on 127.0.0.1; the harness checks its connections closed, then stops it. */
  serve(script: Script): Promise<ScriptedServer>;
  /** Start a scripted WebSocket server (RFC 7395); checked and stopped like `serve`'s. */
  serveWebSocket(
    script: (peer: WebSocketPeer) => void | Promise<void>,
    options?: ScriptedWebSocketOptions,
  ): Promise<ScriptedWebSocketServer>;
  /** openStream to `port` with the debug output collected; cases that expect a timeout pass their own short one. */
  open(port: number, extra?: Partial<OpenStreamOptions>): Promise<XmppStream>;
  /** openStream over WebSocket to `url`, as `open` does over TCP. */
  openUrl(url: string, extra?: Partial<OpenStreamOptions>): Promise<XmppStream>;
  /** Await a rejection of type `type` (an `XmppError`), recorded for the secret check. */
  rejects<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E>;
  /** Strings that must appear nowhere: the password also gives its SHA-1 and digests for every stream id seen. */
  secret(...values: string[]): void;
  /** Extra text to grep (errors caught some other way, say). */
  record(value: unknown): void;
  readonly debug: string[];
}

export interface InvariantOptions {
  /** Most ms to wait for sockets and timers to go once the case is over. */
  settle?: number;
}

/** Wrap a test body: `it("…", withInvariants(async (ctx) => { … }))`. */
export function withInvariants(body: (ctx: HostileContext) => Promise<void>, options: InvariantOptions = {}) {
  return async () => {
    const settle = options.settle ?? 1000;
    const before = activeResources();
    const servers: Array<ScriptedServer | ScriptedWebSocketServer> = [];
    const streams: XmppStream[] = [];
    const secrets = new Set<string>([PASSWORD]);
    const texts: string[] = [];
    const debug: string[] = [];
    const streamIds = new Set<string>(["S1", "1ED34A55"]);
    const restoreConsole = captureConsole(texts);
    const open = async (target: OpenStreamOptions) => {
      const stream = await openStream({
        domain: "localhost",
        // Generous: a reply that is on its way must never time out on a slow, busy machine.
        timeout: 10_000,
        retryDelay: 10,
        debug: (direction, xml) => debug.push(`${direction} ${xml}`),
        ...target,
      });
      streams.push(stream);
      streamIds.add(stream.id);
      return stream;
    };
    const ctx: HostileContext = {
      debug,
      async serve(script) {
        const server = await scriptedServer(script);
        servers.push(server);
        return server;
      },
      async serveWebSocket(script, options) {
        const server = await scriptedWebSocketServer(script, options);
        servers.push(server);
        return server;
      },
      open: (port, extra = {}) => open({ host: "127.0.0.1", port, ...extra }),
      openUrl: (url, extra = {}) => open({ url, ...extra }),
      async rejects(promise, type) {
        const err = await promise.then(
          () => {
            throw new Error(`Expected a rejection with ${type.name}`);
          },
          (e: unknown) => e,
        );
        texts.push(describeError(err));
        expect(err).toBeInstanceOf(XmppError);
        expect(err).toBeInstanceOf(type);
        return err as never;
      },
      secret: (...values) => {
        for (const v of values) secrets.add(v);
      },
      record: (value) => texts.push(describeError(value)),
    };
    try {
      await body(ctx);
      for (const stream of streams) expect(stream.closed, "the stream is closed at the end").toBe(true);
      for (const server of servers) expect(await server.idle(settle), "the server saw every socket close").toBe(true);
    } finally {
      restoreConsole();
      await Promise.all(servers.map((s) => s.close()));
    }
    for (const line of debug) for (const m of line.matchAll(/\bid=["']([^"']+)["']/g)) streamIds.add(m[1] as string);
    expectNoSecrets([...texts, ...debug], await expand(secrets, streamIds));
    await expectNoNewResources(before, settle);
  };
}

async function expand(secrets: Set<string>, streamIds: Set<string>): Promise<string[]> {
  const all = new Set(secrets);
  for (const s of secrets) {
    all.add(await sha1hex(s));
    for (const id of streamIds) all.add(await digestPassword(id, s));
  }
  return [...all];
}

export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  for (const text of texts) {
    for (const secret of secrets) {
      if (text.includes(secret)) expect.fail(`A secret leaked into: ${text.slice(0, 300)}`);
    }
  }
}

/** Everything an error could show: name, message, stack, text, element, its JSON, util.inspect, and its causes. */
export function describeError(err: unknown, depth = 0): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { element?: { toString(): string }; text?: string };
  const parts = [e.name, e.message, e.stack ?? "", e.text ?? "", e.element?.toString() ?? ""];
  // What a logger writes: JSON.stringify (pino and friends; ours include their causes) and util.inspect.
  parts.push(err instanceof XmppError ? JSON.stringify(err) : "", inspect(err, { depth: 8 }));
  if (e.cause !== undefined && depth < 5) parts.push(describeError(e.cause, depth + 1));
  return parts.join("\n");
}

function captureConsole(into: string[]): () => void {
  const methods = ["log", "info", "warn", "error", "debug", "trace"] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) {
    console[m] = (...args: unknown[]) => {
      into.push(args.map((a) => describeError(a)).join(" "));
    };
  }
  return () => {
    methods.forEach((m, i) => {
      console[m] = saved[i] as never;
    });
  };
}

/** Handles by type (sockets, servers, timers): a case must leave no more than it found. */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

function extra(before: Map<string, number>): string[] {
  const now = activeResources();
  return [...now].filter(([r, n]) => n > (before.get(r) ?? 0)).map(([r, n]) => `${r} ×${n - (before.get(r) ?? 0)}`);
}

export async function expectNoNewResources(before: Map<string, number>, settle: number): Promise<void> {
  const deadline = Date.now() + settle;
  while (extra(before).length > 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  expect(extra(before), "timers or handles left running").toEqual([]);
}
