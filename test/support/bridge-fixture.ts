// A running web session bridge for the suites, on 127.0.0.1, over any XMPP server; and its REST calls.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type BridgeLogEvent, createWebBridge, type WebBridge, type WebBridgeOptions } from "@reguser/web-bridge";

export interface BridgeFixture {
  url: string;
  bridge: WebBridge;
  server: http.Server;
  events: BridgeLogEvent[];
  login(username: string, password: string): Promise<{ status: number; json: Record<string, unknown> }>;
  ticket(token: string): Promise<string>;
  post(
    path: string,
    init: { token?: string; body?: string; json?: unknown },
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export async function startBridge(
  xmpp: WebBridgeOptions["xmpp"],
  options: Partial<WebBridgeOptions> = {},
): Promise<BridgeFixture> {
  const events: BridgeLogEvent[] = [];
  const bridge = createWebBridge({ xmpp, log: (e) => events.push(e), ...options });
  const server = http.createServer(bridge.handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (path: string, init: { token?: string; body?: string; json?: unknown }) => {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = init.token;
    if (init.json !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : {} };
  };
  return {
    url,
    bridge,
    server,
    events,
    login: (username, password) => post(`/login/${encodeURIComponent(username)}`, { body: password }),
    async ticket(token) {
      const answer = await post("/ticket", { token });
      if (answer.status !== 200) throw new Error(`ticket: ${answer.status} ${JSON.stringify(answer.json)}`);
      return answer.json.ticket as string;
    },
    post,
    async stop() {
      await bridge.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
