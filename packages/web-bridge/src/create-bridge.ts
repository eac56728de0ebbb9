// The web session bridge as a node:http request listener (docs/web-bridge.md). Routes, at / and under the seed's
// /sparkweb/api/rest (REST) and /sparkweb (SSE) prefixes, so the seed's page works as written:
//   POST /login/:username (password as body) → { token }     POST /logout (Authorization: token) → 204
//   POST /register/:username (password as body) → { token }  POST /ticket (Authorization) → { ticket }
//   GET /sse?ticket=… → text/event-stream                     POST /message (Authorization) { to, body, type }
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { asBridgeError, BridgeError } from "./bridge-error.js";
import { resolveBridgeOptions, type WebBridgeOptions } from "./bridge-options.js";
import { messageOf, usernameOf } from "./checks.js";
import { openEventStream } from "./event-stream.js";
import { EXAMPLE_PAGE } from "./example-page.js";
import { readBody } from "./read-body.js";
import { registerInBand } from "./register-in-band.js";
import { Sessions } from "./sessions.js";
import { TokenTable } from "./token-table.js";

/** A running bridge. */
export interface WebBridge {
  /** The request listener: `http.createServer(bridge.handle)`. */
  readonly handle: (request: IncomingMessage, response: ServerResponse) => void;
  /** Users with an XMPP session now. */
  readonly sessions: number;
  /** End every XMPP session and event stream; answer 503 from now on. */
  close(): Promise<void>;
}

const REST = /^(?:\/sparkweb\/api\/rest)?(\/[a-z]+)(?:\/([^/]+))?$/;
const SSE = /^(?:\/sparkweb)?\/sse$/;

/** A bridge over `options.xmpp`; throws a TypeError naming the first bad setting. */
export function createWebBridge(options: WebBridgeOptions): WebBridge {
  const o = resolveBridgeOptions(options);
  // A token is not idle while its user has an event stream open (the page is there, reading).
  const tokens: TokenTable = new TokenTable(o, o.now, (username) => (sessions.get(username)?.streams ?? 0) > 0);
  const sessions = new Sessions(o, tokens);
  const sweeper = setInterval(() => tokens.sweep(), 60_000);
  sweeper.unref();
  const pageScript = /<script>([\s\S]*?)<\/script>/.exec(EXAMPLE_PAGE)?.[1] ?? "";
  const pagePolicy = `default-src 'none'; script-src 'sha256-${createHash("sha256").update(pageScript).digest("base64")}'; connect-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'`;
  let closing = false;

  const tokenOf = (request: IncomingMessage) => {
    const header = request.headers.authorization ?? "";
    // The seed's page sends the bare token; `Bearer <token>` is accepted too.
    const token = /^bearer /i.test(header) ? header.slice(7) : header;
    const username = tokens.check(token);
    if (!username) throw new BridgeError("unauthorized", "A valid token is required in the Authorization header");
    return { token, username };
  };
  const password = async (request: IncomingMessage) => {
    const text = await readBody(request, o.maxBodyBytes, o.bodyTimeout);
    if (text === "") throw new BridgeError("bad_request", "The password is the request body, and it is empty");
    return text;
  };
  const issue = (username: string) => {
    const { token } = tokens.issue(username);
    o.log({ type: "login", username, status: 200 });
    return { token };
  };

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://bridge.invalid");
    const method = request.method ?? "GET";
    if (closing) throw new BridgeError("shutting_down", "The bridge is shutting down");
    if (method === "OPTIONS") return void response.writeHead(204).end();
    if (url.pathname === "/" && method === "GET" && o.examplePage) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": pagePolicy });
      return void response.end(EXAMPLE_PAGE);
    }
    if (url.pathname === "/health") return json(response, 200, { status: "ok", sessions: sessions.size });
    if (SSE.test(url.pathname) && method === "GET") {
      if (url.searchParams.has("token")) {
        throw new BridgeError("bad_request", "Open /sse with a ticket (POST /ticket), never with the token itself");
      }
      const redeemed = tokens.redeem(url.searchParams.get("ticket"));
      const session = redeemed && sessions.get(redeemed.username);
      if (!redeemed || !session) throw new BridgeError("unauthorized", "The ticket is not valid, used, or expired");
      if (session.streams >= o.maxStreamsPerUser) {
        throw new BridgeError("too_many", `At most ${o.maxStreamsPerUser} event streams per user`);
      }
      const stream = openEventStream(response, { maxQueued: o.maxQueuedEvents, heartbeatMs: o.heartbeatMs }, () => {
        session.detach(stream);
        tokens.touchUser(redeemed.username);
        o.log({ type: "stream_closed", username: redeemed.username });
      });
      session.attach(stream);
      o.log({ type: "stream_opened", username: redeemed.username });
      return;
    }
    const rest = REST.exec(url.pathname);
    if (!rest || method !== "POST") throw new BridgeError("not_found", "No such endpoint");
    const [, action, segment] = rest;
    if ((action === "/login" || action === "/register") && segment) {
      const username = usernameOf(segment);
      const secret = await password(request);
      if (action === "/register") {
        if (!o.allowRegistration) throw new BridgeError("not_found", "Registration is not enabled on this bridge");
        await registerInBand(o.xmpp, username, secret);
        o.log({ type: "registered", username });
      }
      await sessions.login(username, secret);
      return json(response, 200, issue(username));
    }
    if (segment) throw new BridgeError("not_found", "No such endpoint");
    if (action === "/logout") {
      const { token, username } = tokenOf(request);
      tokens.revoke(token);
      if (!tokens.hasTokens(username)) await sessions.get(username)?.end("logout");
      return void response.writeHead(204).end();
    }
    if (action === "/ticket") {
      const { token } = tokenOf(request);
      return json(response, 200, { ticket: tokens.ticket(token) });
    }
    if (action === "/message") {
      const { username } = tokenOf(request);
      const message = messageOf(await readBody(request, o.maxBodyBytes, o.bodyTimeout));
      const session = sessions.get(username);
      if (!session) throw new BridgeError("unauthorized", "The session for this token has ended: log in again");
      await session.sendMessage(message);
      o.log({ type: "message_sent", username });
      return json(response, 202, { status: "ok" });
    }
    throw new BridgeError("not_found", "No such endpoint");
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    cors(request, response, o.allowedOrigins);
    route(request, response).catch((err: unknown) => {
      const error = asBridgeError(err, "internal", "The bridge could not handle this request");
      const login = /\/(?:login|register)\//.test(request.url ?? "");
      o.log({
        type: login && error.code === "unauthorized" ? "login_refused" : "request_refused",
        status: error.status,
        code: error.code,
      });
      if (response.headersSent) return void response.end();
      const close: Record<string, string> = ["payload_too_large", "request_timeout"].includes(error.code)
        ? { connection: "close" }
        : {};
      json(response, error.status, error.toJSON(), close);
    });
  };

  return {
    handle,
    get sessions() {
      return sessions.size;
    },
    async close() {
      closing = true;
      clearInterval(sweeper);
      await sessions.endAll();
    },
  };
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  response.end(JSON.stringify(body));
}

function cors(request: IncomingMessage, response: ServerResponse, allowed: readonly string[]): void {
  const origin = request.headers.origin;
  if (!origin || !allowed.includes(origin)) return;
  response.setHeader("access-control-allow-origin", origin);
  response.setHeader("vary", "origin");
  response.setHeader("access-control-allow-headers", "authorization, content-type");
  response.setHeader("access-control-allow-methods", "GET, POST");
}
