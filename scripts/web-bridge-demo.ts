// `npm run web-bridge`: the web session bridge on 127.0.0.1:8090 over the embedded XMPP server (127.0.0.1:5222,
// domain localhost), with two accounts, alice and bob, and bob online as an echo bot: send him a chat through the
// bridge and alice's event stream shows his answer. A demo: the passwords are printed, nothing is kept.
import http from "node:http";
import { startServer } from "@reguser/server";
import { createWebBridge } from "@reguser/web-bridge";
import { client, xml } from "@xmpp/client";

const BRIDGE_PORT = Number(process.env.BRIDGE_PORT ?? 8090);
const XMPP_PORT = Number(process.env.XMPP_PORT ?? 5222);
const alice = { username: "alice", password: "alice-demo-password" };
const bob = { username: "bob", password: "bob-demo-password" };

const xmpp = await startServer({ host: "127.0.0.1", port: XMPP_PORT, domain: "localhost", presenceToAll: true });
xmpp.users.add(alice);
xmpp.users.add(bob);
const service = `xmpp://127.0.0.1:${XMPP_PORT}`;

// Bob answers every chat with its text.
const echo = client({ service, domain: xmpp.domain, resource: "echo", ...bob });
echo.on("error", () => {});
echo.on("stanza", (stanza) => {
  const body = stanza.is("message") ? stanza.getChildText("body") : null;
  if (body === null || stanza.attrs.type === "error") return;
  void echo.send(xml("message", { to: stanza.attrs.from, type: "chat" }, xml("body", {}, `echo: ${body}`)));
});
await echo.start();
await echo.send(xml("presence"));

const bridge = createWebBridge({
  xmpp: { service, domain: xmpp.domain },
  allowRegistration: true,
  log: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
});
const web = http.createServer({ headersTimeout: 10_000, requestTimeout: 0 }, bridge.handle);
await new Promise<void>((resolve) => web.listen(BRIDGE_PORT, "127.0.0.1", resolve));
process.stdout.write(
  `XMPP server: 127.0.0.1:${XMPP_PORT} (domain ${xmpp.domain}), accounts alice / ${alice.password} and bob (an echo bot)\n` +
    `bridge listening on http://127.0.0.1:${BRIDGE_PORT} (the example page at /)\n`,
);

await new Promise<void>((resolve) => {
  process.once("SIGINT", resolve);
  process.once("SIGTERM", resolve);
});
web.close();
await bridge.close();
web.closeAllConnections();
await echo.stop().catch(() => {});
await xmpp.close();
