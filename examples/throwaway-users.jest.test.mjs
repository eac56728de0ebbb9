// Copy this into your own suite (Jest, native ESM): each test takes a registered XMPP user from a supply that
// registers them in batches, and every account is removed in bulk after the file's tests, even when tests fail or
// time out (accounts that could not be removed fail the suite, with the report). Here the server is an embedded one,
// or the one XMPP_PORT names on 127.0.0.1; point `connect` at your own server instead. Run it with
//   node --experimental-vm-modules node_modules/jest/bin/jest.js examples/throwaway-users.jest.test.mjs
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { startServer } from "@reguser/server";
import { xmppUsers } from "@reguser/testing/jest";
import { authenticate, NotAuthorizedError, openStream } from "reguser";

let server;
beforeAll(async () => {
  if (!process.env.XMPP_PORT) server = await startServer();
});
const connect = () => ({ host: "127.0.0.1", port: Number(process.env.XMPP_PORT ?? server?.port), domain: "localhost" });

// Its afterAll hook removes every account; Jest runs them in the order they are registered, so this one comes first.
const users = xmppUsers(connect, { afterAll });
afterAll(() => server?.close());

/** Log in as the user on a new stream: the session's JID. */
async function logIn(user) {
  const stream = await openStream(connect());
  try {
    return (await authenticate(stream, { username: user.username, password: user.password, resource: "bot" })).jid;
  } finally {
    await stream.close();
  }
}

test("a bot can log in as a throwaway user", async () => {
  const user = await users.take();
  expect(await logIn(user)).toBe(`${user.jid}/bot`);
});

test("every test gets its own user", async () => {
  const [alice, bob] = [await users.take(), await users.take()];
  expect(alice.username).not.toBe(bob.username);
});

test("a test may remove its user itself", async () => {
  const user = await users.take();
  await user.remove();
  await expect(logIn(user)).rejects.toBeInstanceOf(NotAuthorizedError);
});
