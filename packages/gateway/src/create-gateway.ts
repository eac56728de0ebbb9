// The gateway as a node:http request listener: the JSON API at POST /api, the sign-up and set-password pages,
// their assets and a health check. Usable under Express or Fastify as a plain (req, res) handler.
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleApi } from "./api/handle-api.js";
import { asGatewayError, GatewayError } from "./gateway-error.js";
import { errorDetail } from "./gateway-event.js";
import { type GatewayOptions, resolveGatewayOptions } from "./gateway-options.js";
import { csrfFor } from "./pages/csrf.js";
import { SCRIPT, STYLESHEET } from "./pages/layout.js";
import type { PageResult } from "./pages/page-result.js";
import { showSetPassword, submitSetPassword } from "./pages/set-password-page.js";
import { signupForm, submitSignup } from "./pages/signup-page.js";
import { sendAsset, sendHtml, sendJson } from "./respond.js";

/** A running gateway. */
export interface Gateway {
  /** The request listener: `http.createServer(gateway.handle)`, or `app.use(gateway.handle)`. */
  readonly handle: (request: IncomingMessage, response: ServerResponse) => void;
  /** Resolves when the work left for after an answer (reset mails) is done. */
  settled(): Promise<void>;
  /** Answer 503 from now on and wait for the work in flight. Closes none of the options' parts. */
  close(): Promise<void>;
}

/** A gateway over `options`; throws a TypeError naming the first bad setting. */
export function createGateway(options: GatewayOptions): Gateway {
  const ctx = resolveGatewayOptions(options);
  const secure = ctx.publicUrl.protocol === "https:";
  const inFlight = new Set<Promise<unknown>>();
  let closing = false;
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const clientIp = (request: IncomingMessage) => {
    const forwarded = ctx.trustProxy
      ? String(request.headers["x-forwarded-for"] ?? "")
          .split(",")
          .pop()
          ?.trim()
      : "";
    return forwarded || request.socket.remoteAddress || "unknown";
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // Route on the path as sent (origin or absolute form), not through URL: it resolves "/signup/../api" to "/api",
    // past a proxy that lets only /signup through, and throws (a 500) on targets such as "//[".
    const target = (request.url ?? "/").replace(/^[a-z][a-z\d+.-]*:\/\/[^/?]*/i, "") || "/";
    const [path = "", ...queries] = target.split("?");
    const query = new URLSearchParams(queries.join("?"));
    // HEAD is GET without the body (Node leaves the body out by itself).
    const method = request.method === "HEAD" ? "GET" : (request.method ?? "GET");
    const page = (result: PageResult, setCookie?: string) => {
      if (result.error) refused(result.error, "page");
      sendHtml(response, result.status, result.html, setCookie ? { "set-cookie": setCookie } : {}, result.error);
    };
    if (closing) throw new GatewayError("not_configured", "The gateway is shutting down");
    if (path === "/api") {
      if (method !== "POST") {
        response.setHeader("allow", "POST");
        throw new GatewayError("method_not_allowed", "The API takes POST");
      }
      const answer = await handleApi(ctx, request, clientIp(request), track);
      sendJson(response, 200, answer);
      return;
    }
    if (path === "/health" && method === "GET") return sendJson(response, 200, { status: "ok" });
    if (path === "/assets/gateway.css") return sendAsset(response, "text/css; charset=utf-8", STYLESHEET);
    if (path === "/assets/gateway.js") return sendAsset(response, "text/javascript; charset=utf-8", SCRIPT);
    // Browsers ask for one unprompted: no icon, and no 404 in their console.
    if (path === "/favicon.ico") return void response.writeHead(204, { "cache-control": "max-age=86400" }).end();
    const csrf = csrfFor(request, ctx.secret, secure);
    if (path === "/set-password" && method === "GET") {
      return page(await showSetPassword(ctx, query.get("t"), csrf.field), csrf.setCookie);
    }
    if (path === "/set-password" && method === "POST") {
      return page(await submitSetPassword(ctx, request, { field: csrf.field, secure }), csrf.setCookie);
    }
    if (ctx.signupPage && (path === "/signup" || path === "/") && method === "GET") {
      return sendHtml(
        response,
        200,
        signupForm(ctx, csrf.field),
        csrf.setCookie ? { "set-cookie": csrf.setCookie } : {},
      );
    }
    if (ctx.signupPage && path === "/signup" && method === "POST") {
      return page(await submitSignup(ctx, request, clientIp(request), { field: csrf.field, secure }), csrf.setCookie);
    }
    throw new GatewayError("not_found", "No such page");
  };

  const refused = (error: GatewayError, client?: string) => {
    const event = { type: "request_refused" as const, status: error.status, code: error.code, client };
    ctx.log(error.code === "internal" ? { ...event, detail: errorDetail(error.cause) } : event);
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const work = route(request, response).catch((err: unknown) => {
      const error = asGatewayError(err, "internal", "The gateway could not handle this request");
      refused(error);
      sendJson(response, error.status, error.toJSON(), error);
    });
    track(work);
  };

  return {
    handle,
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      closing = true;
      await this.settled();
    },
  };
}
