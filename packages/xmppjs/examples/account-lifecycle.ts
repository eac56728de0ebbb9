// Every feature of @reguser/xmppjs on one server: register-then-login, password change, non-SASL login, removal.
// Usage: tsx account-lifecycle.ts xmpp://127.0.0.1:5222 localhost
import { randomBytes } from "node:crypto";
import { ConflictError } from "@reguser/errors";
import { changePassword, iqAuth, registerOnStream, registerThenLogin, removeAccount } from "@reguser/xmppjs";
import { client } from "@xmpp/client";

const [service = "xmpp://127.0.0.1:5222", domain = "localhost"] = process.argv.slice(2);
const username = `demo${randomBytes(4).toString("hex")}`;
const password = randomBytes(12).toString("base64url");

// 1. Register on a stream of its own, then the usual SASL login, resource binding and `online`.
const xmpp = client({ service, domain, username, password, resource: "demo" });
xmpp.on("error", () => {}); // start() and our helpers reject with the same errors
const jid = await registerThenLogin(xmpp, { username, password });
console.log(`registered and online as ${jid.toString()}`);

// 2. A taken name rejects with ConflictError; that client never connects.
const again = client({ service, domain, username, password: "another-password" });
try {
  await registerThenLogin(again, { username, password: "another-password" });
} catch (err) {
  if (err instanceof ConflictError) console.log(`taken: ${err.message}`);
  else throw err;
}

// 3. Change the password in the session.
const newPassword = randomBytes(12).toString("base64url");
await changePassword(xmpp, { password: newPassword, oldPassword: password });
console.log("password changed");
xmpp.reconnect.stop();
await xmpp.stop();

// 4. Log in with jabber:iq:auth instead of SASL (the server offers both: prefer iq-auth).
const legacy = client({ service, domain });
legacy.on("error", () => {});
const plugin = iqAuth(legacy, { username, password: newPassword, resource: "legacy" }, { when: "prefer" });
console.log(`non-SASL login as ${(await legacy.start()).toString()} with ${plugin.method}`);

// 5. Remove the account: the server ends the stream, the client goes offline.
await removeAccount(legacy);
console.log(`removed; client ${legacy.status}`);

// 6. Or register on the xmpp.js stream itself, before SASL (not on jabberd2: it never answers the bind there).
const other = client({ service, domain, resource: "demo", credentials: registerOnStream({ username, password }) });
other.on("error", () => {});
console.log(`registered on the stream and online as ${(await other.start()).toString()}`);
await removeAccount(other);
