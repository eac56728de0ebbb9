// The hostile-client suite's pieces: a gateway whose http.Server the suite can see (to count its connections), a raw
// TCP client that misbehaves at the HTTP level, and the invariants every case checks (nothing created, no mail, still
// serving, no secret anywhere, no connection left). Built on test/support/gateway-fixture.ts.
import http from "node:http";
import net from "node:net";
import tls from "node:tls";
import type { Gateway, GatewayEvent, GatewayOptions, GatewayServerOptions, GatewayStore } from "@reguser/gateway";
import { type EmbeddedServer, usersProvisioner } from "@reguser/server";
import type { SmtpSink } from "@reguser/test-kit";
import { expect } from "vitest";
import { takeUnhandled } from "../setup/no-unhandled.js";
import { startGateway } from "../support/gateway-fixture.js";
import { uniqueName } from "../support/names.js";
import { SETTLE_MS } from "../support/wait-for.js";

export { SETTLE_MS, waitFor } from "../support/wait-for.js";

/** A create the gateway would carry out if it got it whole: `token`, a fresh name. */
export const createBody = (token: string, extra: Record<string, unknown> = {}) => {
  const username = uniqueName("hx");
  return { token, action: "create", username, email: `${username}@mail.example.org`, name: "Hostile", ...extra };
};

/** A request head for a raw socket. */
export const head = (lines: string[], path = "/api", method = "POST") =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.map((l) => `${l}\r\n`).join("")}\r\n`;

/** A whole JSON request for a raw socket: `body` with its true Content-Length and any `lines` more. */
export const jsonRequest = (body: string, lines: string[] = [], path = "/api", method = "POST") =>
  `${head(["Content-Type: application/json", `Content-Length: ${Buffer.byteLength(body)}`, ...lines], path, method)}${body}`;

/** POST `body` to `url` through `agent` (node:http, so the sockets are the agent's). */
export function postThrough(agent: http.Agent, url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = { "content-type": "application/json" };
    const request = http.request(url, { method: "POST", agent, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** What a well-formed request got back. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | undefined;
}

export interface HostileGateway {
  url: string;
  port: number;
  server: http.Server;
  gateway: Gateway;
  sink: SmtpSink;
  store: GatewayStore;
  /** A client token allowed both actions. */
  token: string;
  events: GatewayEvent[];
  /** The text of every answer `request` got, for the secret check. */
  replies: string[];
  /** A well-formed request with fetch, on a connection of its own (`connection: close`). */
  request(
    path: string,
    init?: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> },
  ): Promise<Reply>;
  /** POST /api with `body` (an object as JSON, a string or bytes as they are) and `contentType`. */
  api(body: unknown, contentType?: string | null): Promise<Reply>;
  connections(): Promise<number>;
  stop(): Promise<void>;
}

export type HostileOptions = Partial<GatewayOptions> & { server?: GatewayServerOptions };

/** A gateway over the embedded server `xmpp`, with the suite's short limits unless `options` say otherwise. */
export async function startHostileGateway(xmpp: EmbeddedServer, options: HostileOptions = {}): Promise<HostileGateway> {
  const fixture = await startGateway(usersProvisioner(xmpp.users), xmpp.domain, {
    bodyTimeout: 300,
    limits: { perIp: false, perToken: false, perEmail: false, perUsername: { count: 5, windowSeconds: 3600 } },
    ...options,
    // requestTimeout stays well above bodyTimeout: the slow-body cases are the gateway's 408, not Node's.
    server: { headersTimeout: 1000, requestTimeout: 5000, ...options.server },
  });
  const { url, server } = fixture;
  const replies: string[] = [];
  const request: HostileGateway["request"] = async (path, init = {}) => {
    const response = await fetch(`${url}${path}`, {
      method: init.method ?? "GET",
      headers: { connection: "close", ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const text = await response.text();
    replies.push(text);
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, text, json };
  };
  return {
    url,
    port: fixture.port,
    server,
    gateway: fixture.gateway,
    sink: fixture.sink,
    store: fixture.store,
    token: fixture.token,
    events: fixture.events,
    replies,
    request,
    api(body, contentType = "application/json") {
      const payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
      const headers: Record<string, string> = contentType === null ? {} : { "content-type": contentType };
      return request("/api", { method: "POST", body: payload, headers });
    },
    connections: () => new Promise((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n)))),
    stop: () => fixture.stop(),
  };
}

/** The first HTTP response on a raw connection. */
export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: Record<string, unknown> | undefined;
}

/** A TCP client that writes whatever it likes. It keeps its side open when the server ends (allowHalfOpen), so a
 * connection only goes away when the server lets go of it. */
export interface RawClient {
  readonly socket: net.Socket;
  /** Everything received, as latin1 text. */
  received(): string;
  /** Write unless the connection is gone; false when it is. */
  send(data: string | Uint8Array): boolean;
  /** Write `data` a byte every `everyMs`, stopping early once the server answers or the connection goes. */
  trickle(data: string, everyMs: number): Promise<void>;
  /** The first complete response, or undefined when the server closed without one (waits up to SETTLE_MS). */
  reply(): Promise<RawReply | undefined>;
  /** Resolves true once the server has ended the connection (waits up to SETTLE_MS, then false). */
  closedByServer(): Promise<boolean>;
}

/** Open raw connections to `port`; `texts` collects their errors, `received()` what they got, for the secret check. */
export function rawClients(port: number, texts: string[]) {
  const open: RawClient[] = [];
  const connect = (): Promise<RawClient> =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
      let data = "";
      let ended = false;
      const wakers = new Set<() => void>();
      const wake = () => {
        for (const w of wakers) w();
      };
      socket.on("data", (chunk: Buffer) => {
        data += chunk.toString("latin1");
        wake();
      });
      socket.on("end", () => {
        ended = true;
        wake();
      });
      socket.on("close", () => {
        ended = true;
        wake();
      });
      socket.on("error", (err) => texts.push(String(err)));
      const until = <T>(check: () => T | undefined, fallback: T): Promise<T> =>
        new Promise((done) => {
          const test = () => {
            const value = check();
            if (value !== undefined) finish(value);
            else if (ended) finish(check() ?? fallback);
          };
          const finish = (value: T) => {
            clearTimeout(timer);
            wakers.delete(test);
            done(value);
          };
          const timer = setTimeout(() => finish(fallback), SETTLE_MS);
          wakers.add(test);
          test();
        });
      const gone = () => ended || socket.destroyed || !socket.writable;
      const client: RawClient = {
        socket,
        received: () => data,
        send(chunk) {
          if (gone()) return false;
          socket.write(chunk);
          return true;
        },
        async trickle(text, everyMs) {
          for (const byte of text) {
            if (data.length > 0 || !client.send(byte)) return;
            await new Promise((r) => setTimeout(r, everyMs));
          }
        },
        reply: () => until(() => parseReply(data, ended), undefined),
        closedByServer: () => until(() => (ended ? true : undefined), false),
      };
      open.push(client);
      socket.once("connect", () => resolve(client));
      socket.once("error", reject);
    });
  return {
    connect,
    /** What every raw connection received. */
    received: () => open.map((client) => client.received()),
    /** Destroy every raw connection still open (after the checks, so the server had to close them itself). */
    destroyAll: () => {
      for (const client of open.splice(0)) client.socket.destroy();
    },
  };
}

/** The first response in `data`, once whole: delimited by Content-Length, chunks, or the end of the connection. */
function parseReply(data: string, ended: boolean): RawReply | undefined {
  const head = data.indexOf("\r\n\r\n");
  if (head < 0) return undefined;
  const [statusLine = "", ...lines] = data.slice(0, head).split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let rest = data.slice(head + 4);
  let body = "";
  if (headers["content-length"] !== undefined) {
    const length = Number(headers["content-length"]);
    if (rest.length < length) return undefined;
    body = rest.slice(0, length);
  } else if (headers["transfer-encoding"] === "chunked") {
    for (;;) {
      const eol = rest.indexOf("\r\n");
      if (eol < 0) return undefined;
      const size = Number.parseInt(rest.slice(0, eol), 16);
      if (!(size >= 0)) return undefined;
      if (rest.length < eol + 2 + size + 2) return undefined;
      if (size === 0) break;
      body += rest.slice(eol + 2, eol + 2 + size);
      rest = rest.slice(eol + 2 + size + 2);
    }
  } else if (ended) body = rest;
  else return undefined;
  const text = Buffer.from(body, "latin1").toString("utf8");
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status, headers, body: text, json };
}

/** A real TLS ClientHello, as a TLS client sends it first: captured from node:tls against a silent listener. */
export async function clientHello(): Promise<Buffer> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const { port } = listener.address() as net.AddressInfo;
  try {
    const first = new Promise<Buffer>((resolve) => listener.once("connection", (s) => s.once("data", resolve)));
    const client = tls.connect({ port, host: "127.0.0.1", servername: "gateway.example" });
    client.on("error", () => {});
    const hello = await first;
    client.destroy();
    return hello;
  } finally {
    listener.close();
  }
}

/** What a case body gets. */
export interface CaseContext {
  gw: HostileGateway;
  raw(): Promise<RawClient>;
  /** Values that must appear in no logged event and no answer. */
  secret(...values: string[]): void;
  /** Text the secret check reads too (answers, errors). */
  record(value: unknown): void;
  /** Mails this case sends on purpose (default none). */
  expectMails(count: number): void;
}

/**
 * A hostile-client case on a gateway of its own: after `body`, (b) nothing new on the XMPP server and only the mails
 * the case expects, (c) a normal create still gets 200 and its mail, (d) no secret in the events or any answer,
 * (e) the server holds no connection. Unhandled rejections fail the test through test/setup/no-unhandled.ts.
 */
export function hostileCase(
  xmpp: () => EmbeddedServer,
  body: (ctx: CaseContext) => Promise<void>,
  options: HostileOptions = {},
) {
  return async () => {
    const server = xmpp();
    const gw = await startHostileGateway(server, options);
    const texts: string[] = [];
    const raws = rawClients(gw.port, texts);
    const secrets = new Set([gw.token]);
    let mails = 0;
    const usersBefore = server.users.usernames();
    try {
      await body({
        gw,
        raw: raws.connect,
        secret: (...values) => {
          for (const value of values) secrets.add(value);
        },
        record: (value) => texts.push(typeof value === "string" ? value : JSON.stringify(value)),
        expectMails: (count) => {
          mails = count;
        },
      });
      // (b) nothing created, nothing mailed beyond what the case asked for.
      await gw.gateway.settled();
      expect(server.users.usernames()).toEqual(usersBefore);
      expect(gw.sink.mails.length).toBe(mails);
      expect(gw.events.filter((e) => e.type === "account_created")).toEqual([]);
      // (c) still serving.
      const username = uniqueName("after");
      const email = `${username}@mail.example.org`;
      const normal = await gw.api({ token: gw.token, action: "create", username, email, name: "After" });
      expect(normal.status, normal.text).toBe(200);
      expect((await gw.sink.next(email)).link).toBeDefined();
      expect(server.users.has(username)).toBe(false);
      // (d) no secret anywhere: the client token, the case's own, every link token mailed.
      for (const mail of gw.sink.mails) if (mail.link) secrets.add(new URL(mail.link).searchParams.get("t") ?? "");
      const seen = [JSON.stringify(gw.events), ...gw.replies, ...raws.received(), ...texts].join("\n");
      for (const secret of secrets) if (secret) expect(seen).not.toContain(secret);
      // (e) the server let go of every connection, the hostile ones included (they never closed their side).
      const deadline = Date.now() + SETTLE_MS;
      while ((await gw.connections()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await gw.connections()).toBe(0);
      expect(takeUnhandled(), "no unhandled rejection or uncaught exception").toEqual([]);
    } finally {
      raws.destroyAll();
      await gw.stop();
    }
  };
}
