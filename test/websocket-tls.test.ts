// wss:// on a real Prosody (mod_websocket on an https port, the test certificate): the same trust options as TLS.
import { authenticate, ConnectionError, openStream, register } from "reguser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { describeTarget } from "./support/describe-target.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { prosody } from "./support/real-targets.js";

describeTarget(prosody, () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    server = await startServer("prosody", { webSocket: true, tls: true });
    url = server.webSocketSecureUrl as string;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("opens a secure stream over wss:// with the server's certificate as ca, and registers and logs in", async () => {
    const stream = await openStream({ url, domain: server.domain, ca: server.ca, timeout: 20_000 });
    try {
      expect(stream).toMatchObject({ transport: "websocket", secure: true });
      const account = { username: uniqueName("wss"), password: strongPassword() };
      await register(stream, account);
      const session = await authenticate(stream, { ...account, resource: "wss", method: "plain" });
      expect(session.jid).toBe(`${account.username}@${server.domain}/wss`);
    } finally {
      await stream.close();
    }
  });

  it("refuses the self-signed certificate without ca, with the hint TLS gives", async () => {
    const err = await openStream({ url, domain: server.domain, timeout: 20_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).hint).toMatch(/`ca` \(CLI: --ca FILE\), or rejectUnauthorized: false/);
    const trusting = await openStream({ url, domain: server.domain, rejectUnauthorized: false, timeout: 20_000 });
    expect(trusting.secure).toBe(true);
    await trusting.close();
  });
});
