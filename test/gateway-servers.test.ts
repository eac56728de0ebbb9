// The account gateway over real servers with in-band registration off: Prosody through XEP-0133 and ejabberd
// through its HTTP API. The link flow creates accounts that log in; a reset goes to the address on record; a name
// taken while the link was pending is refused on the page.
import { ejabberdHttpApiProvisioner, xep0133Provisioner } from "@reguser/admin";
import type { Provisioner } from "@reguser/register";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { type GatewayFixture, pageClient, startGateway } from "./support/gateway-fixture.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { ejabberd, prosody } from "./support/real-targets.js";

const ADMIN = { username: "gateway-admin", password: "gateway-admin-password-1" };

function gatewaySuite(
  start: () => Promise<RunningServer>,
  backend: (server: RunningServer) => Provisioner,
  checksNames: boolean,
) {
  let server: RunningServer;
  let provisioner: Provisioner;
  let gw: GatewayFixture;
  beforeAll(async () => {
    server = await start();
    provisioner = backend(server);
    gw = await startGateway(provisioner, server.domain);
  });
  afterAll(async () => {
    const logged = JSON.stringify(gw?.events ?? []);
    expect(logged).not.toContain(gw?.token);
    expect(logged).not.toContain(ADMIN.password);
    await gw?.stop();
    await provisioner?.close();
    await server?.stop();
  });

  const signUp = async (username: string, email: string, password: string) => {
    expect((await gw.api({ token: gw.token, action: "create", username, email, name: "Real" })).status).toBe(200);
    const browser = pageClient(gw.url);
    const form = await browser.get((await gw.sink.next(email)).link as string);
    return browser.post("set-password", { ...form.fields, password, confirm: password });
  };

  it("create through the link, then reset_pass to the recorded address: each password logs in in turn", async () => {
    const username = uniqueName("gw");
    const email = `${username}@mail.example.org`;
    const first = strongPassword();
    expect((await signUp(username, email, first)).status).toBe(200);
    expect(await canLogIn(connectTo(server), username, first)).toBe(true);

    await gw.api({ token: gw.token, action: "reset_pass", username, email: "someone@evil.example" });
    await gw.gateway.settled();
    const browser = pageClient(gw.url);
    const form = await browser.get((await gw.sink.next(email)).link as string);
    const second = strongPassword();
    expect((await browser.post("set-password", { ...form.fields, password: second, confirm: second })).status).toBe(
      200,
    );
    expect(await canLogIn(connectTo(server), username, second)).toBe(true);
    expect(await canLogIn(connectTo(server), username, first)).toBe(false);
    expect(gw.sink.mails.some((m) => m.to.includes("someone@evil.example"))).toBe(false);
    await provisioner.removeUser(username);
  });

  it(
    checksNames
      ? "409 before mailing for a name the server has"
      : "a name taken while the link was pending: 409 on the page",
    async () => {
      const username = uniqueName("gw");
      if (checksNames) {
        await provisioner.createUser({ username, password: strongPassword() });
        expect(
          await gw.api({ token: gw.token, action: "create", username, email: "x@mail.example.org" }),
        ).toMatchObject({
          status: 409,
          json: { error: "taken" },
        });
      } else {
        const email = `${username}@mail.example.org`;
        await gw.api({ token: gw.token, action: "create", username, email });
        const link = (await gw.sink.next(email)).link as string;
        // Someone else gets the name first, through the admin path.
        const theirs = strongPassword();
        await provisioner.createUser({ username, password: theirs });
        const browser = pageClient(gw.url);
        const form = await browser.get(link);
        const mine = strongPassword();
        const page = await browser.post("set-password", { ...form.fields, password: mine, confirm: mine });
        expect(page.status).toBe(409);
        expect(page.html).toContain(`The username ${username} is taken`);
        expect(await canLogIn(connectTo(server), username, theirs)).toBe(true);
      }
      await provisioner.removeUser(username);
    },
  );
}

describeTarget(prosody, () => {
  gatewaySuite(
    () => startServer("prosody", { allowRegistration: false, admins: [ADMIN] }),
    (server) => xep0133Provisioner({ connect: connectTo(server), admin: ADMIN }),
    false,
  );
});

describeTarget(ejabberd, () => {
  gatewaySuite(
    () => startServer("ejabberd", { allowRegistration: false, httpApi: true, admins: [ADMIN] }),
    (server) =>
      ejabberdHttpApiProvisioner({
        baseUrl: server.httpApiUrl as string,
        host: server.domain,
        admin: server.httpApiAdmin as { jid: string; password: string },
      }),
    true,
  );
});
