// Register, log in, change the password and remove the account over WebSocket (RFC 7395), as a server that offers
// XMPP only behind an HTTPS proxy requires. With a domain alone, the endpoint is looked up (XEP-0156 host-meta).
//   npx tsx examples/register-over-websocket.ts [URL [DOMAIN]]
//     (default ws://127.0.0.1:5280/xmpp-websocket, domain localhost: `npm run server` serves it)
//   npx tsx examples/register-over-websocket.ts --discover DOMAIN
import { randomBytes } from "node:crypto";
import { authenticate, changePassword, discoverWebSocketUrl, openStream, register, removeAccount } from "reguser";

const args = process.argv.slice(2);
if (args[0] === "--discover" && !args[1]) {
  console.error("usage: register-over-websocket.ts [URL [DOMAIN]] | --discover DOMAIN");
  process.exit(2);
}
const domain = args[0] === "--discover" ? (args[1] as string) : (args[1] ?? "localhost");
const url =
  args[0] === "--discover" ? await discoverWebSocketUrl(domain) : (args[0] ?? "ws://127.0.0.1:5280/xmpp-websocket");

const username = `web${randomBytes(4).toString("hex")}`;
const password = randomBytes(12).toString("base64url");

const stream = await openStream({ url, domain });
console.log(`stream ${stream.id} over ${stream.transport} to ${url} (encrypted: ${stream.secure})`);
await register(stream, { username, password });
const session = await authenticate(stream, { username, password, resource: "web" });
console.log(`registered and logged in as ${session.jid} (${session.method})`);
await changePassword(stream, { username, password: randomBytes(12).toString("base64url"), oldPassword: password });
console.log("password changed");
await removeAccount(stream);
console.log(`account ${username} removed; the server closed the stream: ${stream.closed}`);
