// `npm run gateway`: the account gateway on the embedded XMPP server (127.0.0.1:5222, domain localhost), with an
// SMTP sink on 127.0.0.1 that prints every mail it is sent, so the links can be followed by hand. A demo: its
// client token is fixed and printed, and nothing is kept after Ctrl-C.
import { createGateway, gatewayServer, hashClientToken, smtpMailer, sqliteStore } from "@reguser/gateway";
import { startServer, usersProvisioner } from "@reguser/server";
import { startSmtpSink } from "@reguser/test-kit";

const GATEWAY_PORT = Number(process.env.GATEWAY_PORT ?? 8080);
const XMPP_PORT = Number(process.env.XMPP_PORT ?? 5222);
/** The demo's client token: a real deployment makes one with `reguser-gateway new-token`. */
const DEMO_TOKEN = "demo-client-token";

const xmpp = await startServer({ host: "127.0.0.1", port: XMPP_PORT, domain: "localhost" });
const sink = await startSmtpSink((mail) => {
  process.stdout.write(`\n--- mail to ${mail.to.join(", ")}: ${mail.subject}\n${mail.text}---\n`);
});
const store = sqliteStore({ path: ":memory:" });
const mailer = smtpMailer({ url: sink.url, from: "accounts@localhost" });
const publicUrl = `http://127.0.0.1:${GATEWAY_PORT}`;
const gateway = createGateway({
  provisioner: usersProvisioner(xmpp.users),
  store,
  mailer,
  clientTokens: [{ id: "demo", sha256: hashClientToken(DEMO_TOKEN) }],
  secret: "the demo's secret, at least thirty-two bytes long",
  publicUrl,
  domain: xmpp.domain,
  log: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
});
const web = gatewayServer(gateway);
await new Promise<void>((resolve) => web.listen(GATEWAY_PORT, "127.0.0.1", resolve));
process.stdout.write(
  `XMPP server: 127.0.0.1:${XMPP_PORT} (domain ${xmpp.domain}); SMTP sink: ${sink.url}\n` +
    `gateway listening on ${publicUrl}: POST ${publicUrl}/api with token "${DEMO_TOKEN}", or open ${publicUrl}/signup\n`,
);

await new Promise<void>((resolve) => {
  process.once("SIGINT", resolve);
  process.once("SIGTERM", resolve);
});
web.close();
await gateway.close();
web.closeAllConnections();
await Promise.all([mailer.close(), store.close(), sink.stop(), xmpp.close()]);
