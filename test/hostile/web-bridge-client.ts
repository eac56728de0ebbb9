// The hostile web-bridge suite's pieces: a bridge whose http.Server the suite can see (to count its connections),
// requests on connections of their own, a raw event-stream reader that can stop reading or vanish, and the checks
// every case ends with (still serving, no secret logged or answered, no connection left, nothing unhandled). Built on
// test/support/bridge-fixture.ts; the raw TCP client is the gateway suite's (gateway-client.ts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { EmbeddedServer } from "@reguser/server";
import type { WebBridgeOptions } from "@reguser/web-bridge";
import { expect } from "vitest";
import { takeUnhandled } from "../setup/no-unhandled.js";
import { type BridgeFixture, startBridge } from "../support/bridge-fixture.js";
import { strongPassword, uniqueName } from "../support/names.js";
import { type RawClient, rawClients, SETTLE_MS } from "./gateway-client.js";

export { head, type RawClient, rawClients, SETTLE_MS, waitFor } from "./gateway-client.js";

/** What a well-formed request got back. */
export interface Reply {
  status: number;
  text: string;
  json: Record<string, unknown> | undefined;
}

export interface Account {
  username: string;
  password: string;
}

/** A raw `GET /sse` response: what it has read so far, and the response to pause, resume or destroy. */
export interface RawStream {
  response: http.IncomingMessage;
  text(): string;
  /** Wait (up to SETTLE_MS) until the text read holds `part`, then assert it. */
  until(part: string): Promise<void>;
  /** Resolves once the stream ended (waits up to SETTLE_MS, then false). */
  ended(): Promise<boolean>;
}

/** What a case body gets. */
export interface CaseContext {
  fixture: BridgeFixture;
  /** The XMPP server the bridge logs in to (the case may replace it: `setXmpp`). */
  xmpp: EmbeddedServer;
  /** An account on `xmpp` for the case's own use; the still-serving check logs in as it at the end. */
  account: Account;
  /** A new account on `xmpp`. */
  user(): Account;
  /** A well-formed request on a connection of its own (`connection: close`), bounded by SETTLE_MS. */
  request(
    path: string,
    init?: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> },
  ): Promise<Reply>;
  /** POST /login/:username; a token it answers is kept as a secret. */
  login(account: Account): Promise<Reply>;
  /** A token for `account` (a 200 expected). */
  token(account: Account): Promise<string>;
  /** A ticket for `token` (a 200 expected), kept as a secret. */
  ticket(token: string): Promise<string>;
  /** POST `path` with `token` and `json` (a string as it is). */
  post(path: string, token: string | undefined, json: unknown): Promise<Reply>;
  /** `GET /sse?ticket=` read with node:http on a socket of its own, resolved once onConnect came. */
  stream(ticket: string): Promise<RawStream>;
  raw(): Promise<RawClient>;
  /** Values that must appear in no logged event and no refusal. */
  secret(...values: string[]): void;
  /** Text the secret check reads too (errors, raw answers). */
  record(value: unknown): void;
  /** Point the still-serving check at another XMPP server (the case restarted it). */
  setXmpp(server: EmbeddedServer): void;
}

export type CaseOptions = Partial<WebBridgeOptions>;

/**
 * A hostile-client case on a bridge of its own over `xmpp()`: after `body`, (a) a normal login, ticket and event
 * stream still work, (b) no password, token or ticket is in the logged events or any refusal, (c) the bridge's server
 * holds no connection (waits up to SETTLE_MS), (d) nothing went unhandled.
 */
export function bridgeCase(
  xmpp: () => EmbeddedServer,
  body: (ctx: CaseContext) => Promise<void>,
  options: CaseOptions = {},
) {
  return async () => {
    let server = xmpp();
    const target = { service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain, timeout: 10_000 };
    const fixture = await startBridge(target, { bodyTimeout: 300, graceMs: 60_000, ...options });
    const port = (fixture.server.address() as AddressInfo).port;
    const texts: string[] = [];
    const refusals: string[] = [];
    const raws = rawClients(port, texts);
    const secrets = new Set<string>();
    const passwords = new Set<string>();
    const streams: http.IncomingMessage[] = [];
    const user = () => {
      const account = { username: uniqueName("hb"), password: strongPassword() };
      server.users.add(account);
      passwords.add(account.password);
      return account;
    };
    const account = user();
    const answers: string[] = [];
    const request: CaseContext["request"] = async (path, init = {}) => {
      const response = await fetch(`${fixture.url}${path}`, {
        method: init.method ?? "GET",
        headers: { connection: "close", ...init.headers },
        signal: AbortSignal.timeout(SETTLE_MS),
        ...(init.body === undefined ? {} : { body: init.body }),
      });
      const text = await response.text();
      answers.push(text);
      if (response.status >= 400) refusals.push(text);
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(text);
      } catch {}
      return { status: response.status, text, json };
    };
    const login = async (who: Account) => {
      passwords.add(who.password);
      const reply = await request(`/login/${encodeURIComponent(who.username)}`, { method: "POST", body: who.password });
      if (typeof reply.json?.token === "string") secrets.add(reply.json.token);
      return reply;
    };
    const ctx: CaseContext = {
      fixture,
      get xmpp() {
        return server;
      },
      account,
      user,
      request,
      login,
      async token(who) {
        const reply = await login(who);
        expect(reply.status, reply.text).toBe(200);
        return reply.json?.token as string;
      },
      async ticket(token) {
        const reply = await request("/ticket", { method: "POST", headers: { authorization: token } });
        expect(reply.status, reply.text).toBe(200);
        secrets.add(reply.json?.ticket as string);
        return reply.json?.ticket as string;
      },
      post(path, token, json) {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (token !== undefined) headers.authorization = token;
        const body = typeof json === "string" ? json : JSON.stringify(json);
        return request(path, { method: "POST", body, headers });
      },
      async stream(ticket) {
        const opened = await rawStream(`${fixture.url}/sse?ticket=${ticket}`);
        streams.push(opened.response);
        return opened;
      },
      raw: raws.connect,
      secret: (...values) => {
        for (const value of values) secrets.add(value);
      },
      record: (value) => texts.push(typeof value === "string" ? value : JSON.stringify(value)),
      setXmpp: (next) => {
        server = next;
        server.users.add(account);
      },
    };
    try {
      await body(ctx);
      for (const response of streams.splice(0)) response.destroy();
      // (a) still serving: a login, a ticket and an event stream that starts with onConnect.
      const token = await ctx.token(account);
      const sse = await ctx.stream(await ctx.ticket(token));
      const connect = { username: account.username, name: null, email: null };
      await sse.until(`event: onConnect\ndata: ${JSON.stringify(connect)}\n\n`);
      sse.response.destroy();
      // (b) no secret logged or in a refusal; no password in any answer.
      const logged = JSON.stringify(fixture.events);
      const refused = [...refusals, ...raws.received(), ...texts].join("\n");
      for (const secret of [...secrets, ...passwords]) {
        expect(logged).not.toContain(secret);
        expect(refused).not.toContain(secret);
      }
      const answered = answers.join("\n");
      for (const password of passwords) expect(answered).not.toContain(password);
      // (c) the server let go of every connection, the hostile ones included (they never closed their side).
      const connections = () =>
        new Promise<number>((resolve, reject) =>
          fixture.server.getConnections((err, n) => (err ? reject(err) : resolve(n))),
        );
      const deadline = Date.now() + SETTLE_MS;
      while ((await connections()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await connections()).toBe(0);
      // (d) nothing unhandled.
      expect(takeUnhandled(), "no unhandled rejection or uncaught exception").toEqual([]);
    } finally {
      for (const response of streams) response.destroy();
      raws.destroyAll();
      await fixture.stop();
    }
  };
}

/** `GET url` on a socket of its own, read as text, resolved once `onConnect` arrived (bounded by SETTLE_MS). */
export async function rawStream(url: string): Promise<RawStream> {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: SETTLE_MS }, (response) => {
      request.setTimeout(0);
      resolve(response);
    });
    request.on("error", reject);
    request.on("timeout", () => request.destroy(new Error(`no answer from ${url} within ${SETTLE_MS} ms`)));
  });
  expect(response.statusCode).toBe(200);
  response.setEncoding("utf8");
  let text = "";
  let ended = false;
  response.on("data", (chunk: string) => (text += chunk));
  response.on("error", () => {});
  response.on("close", () => (ended = true));
  const until = async (check: () => boolean) => {
    const deadline = Date.now() + SETTLE_MS;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return check();
  };
  const stream: RawStream = {
    response,
    text: () => text,
    async until(part) {
      await until(() => text.includes(part));
      expect(text).toContain(part);
    },
    ended: () => until(() => ended),
  };
  await stream.until("event: onConnect");
  return stream;
}

/** `work`, or a rejection once `ms` passed: a bound on a wait, never a speed check. */
export function within<T>(work: Promise<T>, ms = SETTLE_MS, what = "the wait"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
