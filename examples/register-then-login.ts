// Register and log in on the same stream (the book's flow), then change the password and remove the account.
//   npx tsx examples/register-then-login.ts [HOST[:PORT] [DOMAIN]]     (default 127.0.0.1:5222, domain localhost)
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { authenticate, changePassword, openStream, register, removeAccount } from "reguser";

const [target = "127.0.0.1:5222", domainArg] = process.argv.slice(2);
const [host = "", port = "5222"] = target.split(":");
// An address is not an XMPP domain: servers answer host-unknown. Local servers serve `localhost`.
const options = { host, port: Number(port), domain: domainArg ?? (isIP(host) ? "localhost" : host) };

const username = `demo${randomBytes(4).toString("hex")}`;
const password = randomBytes(12).toString("base64url");

const stream = await openStream(options);
await register(stream, { username, password });
const session = await authenticate(stream, { username, password, resource: "demo" });
console.log(`registered and logged in as ${session.jid} (${session.method})`);

const newPassword = randomBytes(12).toString("base64url");
await changePassword(stream, { username, password: newPassword, oldPassword: password });
console.log("password changed");
await removeAccount(stream);
console.log(`account ${username} removed; the server closed the stream: ${stream.closed}`);
