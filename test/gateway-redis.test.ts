// Two gateway instances behind one (imagined) load balancer, sharing a real redis-server: a link mailed by one is
// redeemed on the other, two browsers sending it to both at once create the account once, and the limits and
// name reservations hold across them.
import { redisStore } from "@reguser/gateway";
import { type EmbeddedServer, startServer, usersProvisioner } from "@reguser/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { type GatewayFixture, pageClient, startGateway } from "./support/gateway-fixture.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { type RunningRedis, redisUnavailable, startRedis } from "./support/redis.js";

describeTarget({ name: "redis-server", unavailable: redisUnavailable }, () => {
  let redis: RunningRedis;
  let server: EmbeddedServer;
  let a: GatewayFixture;
  let b: GatewayFixture;
  beforeAll(async () => {
    redis = await startRedis();
    server = await startServer({ domain: "twins.test" });
    const options = async () => ({
      store: await redisStore({ url: redis.url }),
      limits: {
        perIp: false,
        perToken: false,
        perEmail: false,
        perUsername: { count: 2, windowSeconds: 3600 },
      } as const,
    });
    // Both share SECRET (the fixture's), as every instance behind one balancer must.
    a = await startGateway(usersProvisioner(server.users), server.domain, await options());
    b = await startGateway(usersProvisioner(server.users), server.domain, await options());
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await server?.close();
    await redis?.stop();
  });

  /** The link of a mail sent by `from`, as it would reach instance `to` through the balancer. */
  const via = (link: string, to: GatewayFixture) => {
    const url = new URL(link);
    return `${to.url}${url.pathname}${url.search}`;
  };

  it("a link mailed by one instance works on the other", async () => {
    const username = uniqueName("twin");
    const email = `${username}@mail.example.org`;
    expect((await a.api({ token: a.token, action: "create", username, email })).status).toBe(200);
    const link = via((await a.sink.next(email)).link as string, b);
    const browser = pageClient(b.url);
    const form = await browser.get(link);
    expect(form.status).toBe(200);
    const password = strongPassword();
    expect((await browser.post("set-password", { ...form.fields, password, confirm: password })).status).toBe(200);
    expect(await canLogIn(connectTo(server), username, password)).toBe(true);
    // And a reset asked of the second goes to the address the first recorded.
    await b.api({ token: b.token, action: "reset_pass", username });
    await b.gateway.settled();
    expect((await b.sink.next(email)).subject).toContain("new password");
  });

  it("two browsers sending one link to both instances at once: one account, one 410", async () => {
    const username = uniqueName("twin");
    const email = `${username}@mail.example.org`;
    await a.api({ token: a.token, action: "create", username, email });
    const link = (await a.sink.next(email)).link as string;
    const [onA, onB] = [pageClient(a.url), pageClient(b.url)];
    const [formA, formB] = await Promise.all([onA.get(via(link, a)), onB.get(via(link, b))]);
    const [pa, pb] = [strongPassword(), strongPassword()];
    const results = await Promise.all([
      onA.post("set-password", { ...formA.fields, password: pa, confirm: pa }),
      onB.post("set-password", { ...formB.fields, password: pb, confirm: pb }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    const winner = results[0]?.status === 200 ? pa : pb;
    expect(await canLogIn(connectTo(server), username, winner)).toBe(true);
    expect(server.users.usernames().filter((u) => u === username)).toHaveLength(1);
  });

  it("a name held by a link on one instance is taken on the other; a username's limit counts on both", async () => {
    const username = uniqueName("twin");
    expect((await a.api({ token: a.token, action: "create", username, email: "one@mail.example.org" })).status).toBe(
      200,
    );
    const other = await b.api({ token: b.token, action: "create", username, email: "two@mail.example.org" });
    expect(other).toMatchObject({ status: 409, json: { error: "taken" } });
    // Two hits so far, one on each: the third, wherever it lands, is over the limit of 2.
    const third = await a.api({ token: a.token, action: "reset_pass", username });
    expect(third).toMatchObject({ status: 429, json: { error: "rate_limited" } });
    await a.sink.next("one@mail.example.org");
  });
});
