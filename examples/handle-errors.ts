// Every protocol failure is a typed exception: catch the ones you can act on.
//   npx tsx examples/handle-errors.ts [HOST[:PORT] [DOMAIN]]     (default 127.0.0.1:5222, domain localhost)
import { isIP } from "node:net";
import {
  AuthMethodUnavailableError,
  authenticate,
  ConflictError,
  ConnectionError,
  NotAuthorizedError,
  openStream,
  ResourceConstraintError,
  register,
  ServiceUnavailableError,
  StanzaError,
  StreamError,
  TimeoutError,
  XmppError,
  type XmppStream,
} from "reguser";

const [target = "127.0.0.1:5222", domainArg] = process.argv.slice(2);
if (target === "--help" || target === "-h") {
  console.log("usage: npx tsx examples/handle-errors.ts [HOST[:PORT] [DOMAIN]]  (default 127.0.0.1:5222 localhost)");
  process.exit(0);
}
const [host = "", port = "5222"] = target.split(":");
// An address is not an XMPP domain: servers answer host-unknown. Local servers serve `localhost`.
const domain = domainArg ?? (isIP(host) ? "localhost" : host);

async function explain(what: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
    console.log(`${what}: ok`);
  } catch (err) {
    if (err instanceof ConflictError) console.log(`${what}: taken, pick another name – ${err.message}`);
    else if (err instanceof NotAuthorizedError) console.log(`${what}: wrong credentials – ${err.message}`);
    else if (err instanceof AuthMethodUnavailableError) console.log(`${what}: offered only ${err.offered.join(", ")}`);
    else if (err instanceof ResourceConstraintError) console.log(`${what}: throttled, retry later – ${err.message}`);
    else if (err instanceof ServiceUnavailableError) console.log(`${what}: registration is off – ${err.message}`);
    else if (err instanceof StanzaError) console.log(`${what}: ${err.code} ${err.condition} – ${err.message}`);
    else if (err instanceof TimeoutError || err instanceof ConnectionError)
      console.log(`${what}: network – ${err.message}`);
    else if (err instanceof StreamError) console.log(`${what}: the server ended the stream – ${err.message}`);
    else if (err instanceof XmppError) console.log(`${what}: ${err.name} – ${err.message}`);
    else throw err;
  }
}

let stream: XmppStream | undefined;
await explain("connect", async () => {
  stream = await openStream({ host, port: Number(port), domain, tls: "none" });
});
if (stream) {
  const s = stream;
  const username = `example${Date.now().toString(36)}`;
  await explain("register", () => register(s, { username, password: "first-password" }));
  await explain("register the same name again", () => register(s, { username, password: "other-password" }));
  await explain("log in with a wrong password", () =>
    authenticate(s, { username, password: "wrong-password", resource: "x", method: "plain" }),
  );
  await explain("log in with a method nobody offers", () =>
    authenticate(s, { username, password: "first-password", resource: "x", method: "0k" }),
  );
  await s.close();
}
await explain("connect to a closed port", () => openStream({ host: "127.0.0.1", port: 1, timeout: 2000 }));
