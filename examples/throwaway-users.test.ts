// Copy this into your own suite: each test gets a fresh registered XMPP user, removed afterwards.
// Here the server is the embedded one; point `connect` at your own server instead.
import { type EmbeddedServer, startServer } from "@reguser/server";
import { withXmppUser } from "@reguser/testing/vitest";
import { authenticate, openStream } from "reguser";
import { afterAll, beforeAll, expect } from "vitest";

let server: EmbeddedServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const connect = () => ({ host: server.host, port: server.port, domain: server.domain });
const test = withXmppUser(connect);

test("a bot can log in as the throwaway user", async ({ xmppUser }) => {
  const stream = await openStream(connect());
  const session = await authenticate(stream, { ...xmppUser, resource: "bot" });
  expect(session.jid).toBe(`${xmppUser.jid}/bot`);
  await stream.close();
});

test("every test gets its own user", async ({ xmppUser }) => {
  expect(server.users.has(xmppUser.username)).toBe(true);
});
