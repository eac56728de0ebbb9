// Copy this into your own suite: each test gets a registered XMPP user from a supply that registers them in batches,
// and every account is removed in bulk after the file's tests, even when tests fail or time out (accounts that could
// not be removed fail the file, with the report). Here the server is an embedded one, or the one XMPP_PORT names
// on 127.0.0.1; point `connect` at your own server instead.
import { type EmbeddedServer, startServer } from "@reguser/server";
import { withXmppUser } from "@reguser/testing/vitest";
import { authenticate, NotAuthorizedError, openStream } from "reguser";
import { afterAll, beforeAll, expect } from "vitest";

let server: EmbeddedServer | undefined;
beforeAll(async () => {
  if (!process.env.XMPP_PORT) server = await startServer();
});
afterAll(() => server?.close());
const connect = () => ({ host: "127.0.0.1", port: Number(process.env.XMPP_PORT ?? server?.port), domain: "localhost" });

// Its afterAll hook removes every account; vitest runs afterAll hooks last-registered first, so this one comes last.
const test = withXmppUser(connect);

/** Log in as the user on a new stream: the session's JID. */
async function logIn(user: { username: string; password: string }) {
  const stream = await openStream(connect());
  try {
    return (await authenticate(stream, { username: user.username, password: user.password, resource: "bot" })).jid;
  } finally {
    await stream.close();
  }
}

test("a bot can log in as the throwaway user", async ({ xmppUser }) => {
  expect(await logIn(xmppUser)).toBe(`${xmppUser.jid}/bot`);
});

test("every test gets its own user, and can take more", async ({ xmppUser, xmppUsers }) => {
  const peer = await xmppUsers.take();
  expect(peer.username).not.toBe(xmppUser.username);
  expect(await logIn(peer)).toBe(`${peer.jid}/bot`);
});

test("a test may remove its user itself", async ({ xmppUser }) => {
  await xmppUser.remove();
  await expect(logIn(xmppUser)).rejects.toBeInstanceOf(NotAuthorizedError);
});

test("freshXmppUser: registered for this one test, removed right after it", async ({ freshXmppUser }) => {
  expect(await logIn(freshXmppUser)).toBe(`${freshXmppUser.jid}/bot`);
});
