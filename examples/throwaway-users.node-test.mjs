// Copy this into your own suite (`node --test`): each test takes a registered XMPP user from a supply that registers
// them in batches, and every account is removed in bulk after the file's tests, even when tests fail or time out
// (accounts that could not be removed fail the run, with the report). Here the server is an embedded one, or the
// one XMPP_PORT names on 127.0.0.1; point `connect` at your own server instead.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startServer } from "@reguser/server";
import { xmppUsers } from "@reguser/testing/node-test";
import { authenticate, NotAuthorizedError, openStream } from "reguser";

let server;
before(async () => {
  if (!process.env.XMPP_PORT) server = await startServer();
});
const connect = () => ({ host: "127.0.0.1", port: Number(process.env.XMPP_PORT ?? server?.port), domain: "localhost" });

// Its after() hook removes every account; hooks run in the order they are registered, so this one comes first.
const users = xmppUsers(connect);
after(() => server?.close());

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
  assert.equal(await logIn(user), `${user.jid}/bot`);
});

test("every test gets its own user", async () => {
  const [alice, bob] = [await users.take(), await users.take()];
  assert.notEqual(alice.username, bob.username);
});

test("a test may remove its user itself", async () => {
  const user = await users.take();
  await user.remove();
  await assert.rejects(logIn(user), NotAuthorizedError);
});
