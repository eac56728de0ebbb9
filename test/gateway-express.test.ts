// The gateway's request listener mounted in an Express 5 app under a path prefix, as packages/gateway/README.md
// says: Express strips the prefix, the pages' relative links keep it, the mailed link carries it (publicUrl).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createGateway, newClientToken, smtpMailer, sqliteStore } from "@reguser/gateway";
import { startServer, usersProvisioner } from "@reguser/server";
import { startSmtpSink } from "@reguser/test-kit";
import express from "express";
import { expect, it } from "vitest";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { SECRET, signUpThroughPages } from "./support/gateway-fixture.js";

it("works under app.use('/accounts', gateway.handle): sign-up page, mail, link, password, login", async () => {
  const xmpp = await startServer({ domain: "express.test" });
  const sink = await startSmtpSink();
  const store = sqliteStore({ path: ":memory:" });
  const mailer = smtpMailer({ url: sink.url, from: "accounts@example.org" });
  const app = express();
  app.get("/", (_req, res) => {
    res.send("the app's own page");
  });
  const web = http.createServer(app);
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  const gateway = createGateway({
    provisioner: usersProvisioner(xmpp.users),
    store,
    mailer,
    clientTokens: [{ id: "app", sha256: newClientToken().sha256 }],
    secret: SECRET,
    publicUrl: `${origin}/accounts`,
    domain: xmpp.domain,
  });
  app.use("/accounts", gateway.handle);
  try {
    const { username, password } = await signUpThroughPages(`${origin}/accounts/`, sink);
    expect(await canLogIn(connectTo(xmpp), username, password)).toBe(true);
    expect(await (await fetch(origin)).text()).toBe("the app's own page");
  } finally {
    await gateway.close();
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    await Promise.all([mailer.close(), store.close(), sink.stop(), xmpp.close()]);
  }
});
