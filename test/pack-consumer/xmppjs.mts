// A user's program with @reguser/xmppjs and @xmpp/client, installed from the tarballs without @types/xmpp__client:
// the package's own declarations are all it needs. test/pack.test.ts type-checks it (skipLibCheck: false) and runs it.
import { startServer } from "@reguser/server";
import { changePassword, registerThenLogin, removeAccount, saslLogin, type XmppClient } from "@reguser/xmppjs";
import { client } from "@xmpp/client";

const server = await startServer({ host: "127.0.0.1", port: 0, domain: "localhost" });
const account = { username: "romeo", password: "wherefore-art-thou" };
const xmpp: XmppClient = client({
  service: `xmpp://127.0.0.1:${server.port}`,
  domain: "localhost",
  resource: "pack",
  credentials: saslLogin(account),
});
xmpp.on("error", () => {}); // start() rejects with the same error
try {
  const jid = await registerThenLogin(xmpp, account);
  console.log(`online: ${jid.toString()}`);
  await changePassword(xmpp, { password: "a-new-one-please" });
  console.log("password changed");
  await removeAccount(xmpp);
  console.log(`removed: ${xmpp.status}, accounts left: ${server.users.size}`);
} finally {
  await xmpp.stop().catch(() => {});
  await server.close();
}
