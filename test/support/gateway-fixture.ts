// A running account gateway for the suites: a real SMTP sink, a store, an HTTP server on 127.0.0.1 and a client
// token, around any provisioner. `pageClient` drives its pages as a browser would (cookie, hidden fields).
import {
  createGateway,
  type Gateway,
  type GatewayEvent,
  type GatewayOptions,
  type GatewayServerOptions,
  type GatewayStore,
  gatewayServer,
  newClientToken,
  smtpMailer,
  sqliteStore,
} from "@reguser/gateway";
import type { Provisioner } from "@reguser/register";
import { type SmtpSink, startSmtpSink } from "@reguser/test-kit";
import { expect } from "vitest";
import { freePort } from "../servers/ports.js";
import { strongPassword, uniqueName } from "./names.js";

export interface GatewayFixture {
  url: string;
  port: number;
  /** The HTTP server (to count its connections). */
  server: import("node:http").Server;
  sink: SmtpSink;
  gateway: Gateway;
  store: GatewayStore;
  /** A client token allowed both actions. */
  token: string;
  /** Everything the gateway logged. */
  events: GatewayEvent[];
  /** POST /api with `body` (an object is sent as JSON, a string as it is). */
  api(
    body: unknown,
    init?: { contentType?: string },
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }>;
  stop(): Promise<void>;
}

export const SECRET = "a test secret of at least thirty-two bytes";

/** Start a gateway for `provisioner` on `domain`; `options` override the defaults. */
export async function startGateway(
  provisioner: Provisioner,
  domain: string,
  options: Partial<GatewayOptions> & { store?: GatewayStore; server?: GatewayServerOptions } = {},
): Promise<GatewayFixture> {
  const { server: serverOptions, ...gatewayOptions } = options;
  const sink = await startSmtpSink();
  const store = options.store ?? sqliteStore({ path: ":memory:" });
  const mailer = smtpMailer({ url: sink.url, from: "accounts@example.org" });
  const client = newClientToken();
  const events: GatewayEvent[] = [];
  // The gateway needs its public URL before the server exists: take a port first.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = createGateway({
    provisioner,
    store,
    mailer,
    clientTokens: [{ id: "test-app", sha256: client.sha256 }],
    secret: SECRET,
    publicUrl: url,
    domain,
    log: (event) => events.push(event),
    ...gatewayOptions,
  });
  const server = gatewayServer(gateway, serverOptions);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url,
    port,
    server,
    sink,
    gateway,
    store,
    token: client.token,
    events,
    async api(body, init = {}) {
      const response = await fetch(`${url}/api`, {
        method: "POST",
        headers: { "content-type": init.contentType ?? "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, json: JSON.parse(text), headers: response.headers };
    },
    async stop() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mailer.close();
      await store.close();
      await sink.stop();
    },
  };
}

/** A page as a browser holds it: its status, HTML, the cookie it set and its hidden fields. */
export interface Page {
  status: number;
  html: string;
  fields: Record<string, string>;
}

/** A browser-like client with one cookie jar. */
export function pageClient(base: string) {
  let cookie = "";
  const remember = (response: Response) => {
    const set = response.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0] ?? "";
  };
  const read = async (response: Response): Promise<Page> => {
    remember(response);
    const html = await response.text();
    const fields: Record<string, string> = {};
    for (const match of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
      fields[match[1] as string] = (match[2] as string).replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
    }
    return { status: response.status, html, fields };
  };
  return {
    get cookie() {
      return cookie;
    },
    async get(url: string): Promise<Page> {
      return read(await fetch(new URL(url, base), { headers: cookie ? { cookie } : {} }));
    },
    async post(path: string, form: Record<string, string>): Promise<Page> {
      const response = await fetch(new URL(path, base), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
        body: new URLSearchParams(form).toString(),
      });
      return read(response);
    },
  };
}

/**
 * A person signing up through the pages of a gateway mounted at `base` (ending in "/"): the form and its stylesheet,
 * the mailed link (under `base`), a chosen password. The new account's name and password.
 */
export async function signUpThroughPages(
  base: string,
  sink: SmtpSink,
): Promise<{ username: string; password: string }> {
  const browser = pageClient(base);
  const page = await browser.get("signup");
  expect(page.status).toBe(200);
  expect(page.html).toContain('href="assets/gateway.css"');
  expect((await fetch(new URL("assets/gateway.css", base))).status).toBe(200);
  const username = uniqueName("pg");
  const email = `${username}@mail.example.org`;
  expect((await browser.post("signup", { ...page.fields, username, email })).status).toBe(200);
  const link = (await sink.next(email)).link as string;
  expect(link.startsWith(`${base}set-password?t=`)).toBe(true);
  const form = await browser.get(link);
  const password = strongPassword();
  expect((await browser.post("set-password", { ...form.fields, password, confirm: password })).status).toBe(200);
  return { username, password };
}
