// Register an account on a real server, then log in with it on a fresh stream.
//   npx tsx examples/register-real-server.ts HOST[:PORT] USERNAME [DOMAIN]
// The password comes from REGUSER_PASSWORD, so it stays out of shell history. Add CA=path.pem to trust a test CA.
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { authenticate, inquire, openStream, register } from "reguser";

const [target = "", username, domainArg] = process.argv.slice(2);
const password = process.env.REGUSER_PASSWORD;
if (!target || !username || !password) {
  console.error("usage: REGUSER_PASSWORD=… npx tsx examples/register-real-server.ts HOST[:PORT] USERNAME [DOMAIN]");
  process.exit(2);
}
const [host = "", port = "5222"] = target.split(":");
const options = {
  host,
  port: Number(port),
  domain: domainArg ?? (isIP(host) ? "localhost" : host), // an address is not an XMPP domain
  ca: process.env.CA ? readFileSync(process.env.CA, "utf8") : undefined,
};

const stream = await openStream(options);
console.log(`connected to ${options.domain}, ${stream.secure ? "encrypted" : "not encrypted"}`);
const inquiry = await inquire(stream);
console.log(`fields: ${inquiry.fields.join(" ")}${inquiry.instructions ? ` (${inquiry.instructions})` : ""}`);
await register(stream, { username, password }, { inquiry }); // a form-only server gets its data form filled in
console.log(`registered ${username}`);
await stream.close();

const login = await openStream(options);
const session = await authenticate(login, { username, password, resource: "example" });
console.log(`logged in as ${session.jid} with ${session.method}`);
await login.close();
