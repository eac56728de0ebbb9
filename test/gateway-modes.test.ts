// The account gateway's other paths on the embedded server: the seed's temporary-password mode, expired links, the
// sign-up page over plain HTTP, per-token actions and limits, and a backend that fails once.

import { newClientToken } from "@reguser/gateway";
import type { Provisioner } from "@reguser/register";
import { type EmbeddedServer, startServer, usersProvisioner } from "@reguser/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { type GatewayFixture, pageClient, startGateway } from "./support/gateway-fixture.js";
import { strongPassword, uniqueName } from "./support/names.js";

let server: EmbeddedServer;
const started: GatewayFixture[] = [];
const gatewayWith = async (...args: Parameters<typeof startGateway>) => {
  const gw = await startGateway(...args);
  started.push(gw);
  return gw;
};

beforeAll(async () => {
  server = await startServer({ domain: "modes.test" });
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((gw) => gw.stop()));
});
afterAll(() => server?.close());

describe("temporaryPassword: the seed's mode, when asked for", () => {
  it("creates the account at once and mails its password; reset_pass mails a new one to the address on record", async () => {
    const gw = await gatewayWith(usersProvisioner(server.users), server.domain, { temporaryPassword: true });
    const username = uniqueName("tmp");
    const email = `${username}@mail.example.org`;
    const created = await gw.api({ token: gw.token, action: "create", username, email, name: "Tim" });
    expect(created.status).toBe(200);
    const mail = await gw.sink.next(email);
    const password = /^([\w-]{24})$/m.exec(mail.text)?.[1] as string;
    expect(password).toBeDefined();
    expect(await canLogIn(connectTo(server), username, password)).toBe(true);

    await gw.api({ token: gw.token, action: "reset_pass", username, email: "attacker@evil.example" });
    await gw.gateway.settled();
    const reset = await gw.sink.next(email);
    const second = /^([\w-]{24})$/m.exec(reset.text)?.[1] as string;
    expect(second).not.toBe(password);
    expect(await canLogIn(connectTo(server), username, second)).toBe(true);
    expect(await canLogIn(connectTo(server), username, password)).toBe(false);
    expect(JSON.stringify(gw.events)).not.toContain(password);
    expect(JSON.stringify(gw.events)).not.toContain(second);
  });

  it("removes the account again when the mail cannot be sent", async () => {
    const gw = await gatewayWith(usersProvisioner(server.users), server.domain, { temporaryPassword: true });
    gw.sink.refuse(/.*/);
    const username = uniqueName("tmp");
    const failed = await gw.api({ token: gw.token, action: "create", username, email: "x@mail.example.org" });
    expect(failed).toMatchObject({ status: 502, json: { error: "mail_failed" } });
    expect(server.users.has(username)).toBe(false);
    expect(await gw.store.accountOf(username)).toBeUndefined();
  });
});

describe("links expire", () => {
  it("neither shows the form nor creates the account after linkMinutes", async () => {
    let now = Date.now();
    const gw = await gatewayWith(usersProvisioner(server.users), server.domain, { linkMinutes: 5, now: () => now });
    const username = uniqueName("exp");
    const email = `${username}@mail.example.org`;
    await gw.api({ token: gw.token, action: "create", username, email });
    const mail = await gw.sink.next(email);
    expect(mail.text).toContain("within 5 minutes");
    const browser = pageClient(gw.url);
    const form = await browser.get(mail.link as string);
    expect(form.status).toBe(200);
    now += 5 * 60_000;
    const password = strongPassword();
    const late = await browser.post("set-password", { ...form.fields, password, confirm: password });
    expect(late.status).toBe(410);
    expect(late.html).toContain("expired");
    expect((await browser.get(mail.link as string)).status).toBe(410);
    expect(server.users.has(username)).toBe(false);
    // The name is free again once the link is dead.
    expect((await gw.api({ token: gw.token, action: "create", username, email })).status).toBe(200);
  });

  it("refuses a link whose token was altered (404), without asking the store", async () => {
    const gw = await gatewayWith(usersProvisioner(server.users), server.domain);
    const username = uniqueName("alt");
    const email = `${username}@mail.example.org`;
    await gw.api({ token: gw.token, action: "create", username, email });
    const link = new URL((await gw.sink.next(email)).link as string);
    const [random, expiry, mac] = (link.searchParams.get("t") as string).split(".");
    link.searchParams.set("t", `${random}.${(Number.parseInt(expiry as string, 36) + 1).toString(36)}.${mac}`);
    expect((await pageClient(gw.url).get(link.href)).status).toBe(404);
  });
});

describe("the sign-up page", () => {
  it("signs up over a form with its CSRF field, then the link creates the account", async () => {
    const gw = await gatewayWith(usersProvisioner(server.users), server.domain);
    const browser = pageClient(gw.url);
    const page = await browser.get("/signup");
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label for="field-username">');
    const username = uniqueName("page");
    const email = `${username}@mail.example.org`;
    const sent = await browser.post("signup", { ...page.fields, username, email, name: "Pat <b>" });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain("Check your mail");
    const mail = await gw.sink.next(email);
    expect(mail.html).toContain("Pat &#60;b&#62;");
    const form = await browser.get(mail.link as string);
    const password = strongPassword();
    expect((await browser.post("set-password", { ...form.fields, password, confirm: password })).status).toBe(200);
    expect(await canLogIn(connectTo(server), username, password)).toBe(true);
    expect(gw.events.some((e) => e.type === "signup_link_sent" && e.client === "page")).toBe(true);
  });

  it("shows the form again with the error and the values, escaped; refuses a form without CSRF", async () => {
    const gw = await gatewayWith(usersProvisioner(server.users), server.domain);
    const browser = pageClient(gw.url);
    const page = await browser.get("/signup");
    const bad = await browser.post("signup", { ...page.fields, username: 'Bad"<x>', email: "a@mail.example.org" });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('role="alert"');
    expect(bad.html).toContain('value="Bad&#34;&#60;x&#62;"');
    expect(bad.html).toContain('aria-invalid="true"');
    const forged = await pageClient(gw.url).post("signup", {
      ...page.fields,
      username: "x",
      email: "a@mail.example.org",
    });
    expect(forged.status).toBe(403);
  });

  it("is not served with signupPage: false", async () => {
    const gw = await gatewayWith(usersProvisioner(server.users), server.domain, { signupPage: false });
    expect((await fetch(`${gw.url}/signup`)).status).toBe(404);
  });

  it("sends headers that keep it out of frames, caches and referrers", async () => {
    const gw = await gatewayWith(usersProvisioner(server.users), server.domain);
    const response = await fetch(`${gw.url}/signup`);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("set-cookie")).toMatch(/^reguser_csrf=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const head = await fetch(`${gw.url}/signup`, { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([200, ""]);
  });
});

describe("client tokens: actions and their own limits", () => {
  it("403 for an action the token may not do; a token's own limit, then 429", async () => {
    const createOnly = newClientToken();
    const gw = await gatewayWith(usersProvisioner(server.users), server.domain, {
      clientTokens: [
        { id: "create-only", sha256: createOnly.sha256, actions: ["create"], limit: { count: 2, windowSeconds: 60 } },
      ],
    });
    const username = uniqueName("tok");
    const reset = await gw.api({ token: createOnly.token, action: "reset_pass", username });
    expect(reset).toMatchObject({ status: 403, json: { error: "forbidden" } });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(
        await gw.api({
          token: createOnly.token,
          action: "create",
          username: `${username}${i}`,
          email: `t${i}@mail.example.org`,
        }),
      );
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(Number(answers[2]?.headers.get("retry-after"))).toBeLessThanOrEqual(60);
  });

  it("counts per e-mail address and per IP", async () => {
    const gw = await gatewayWith(usersProvisioner(server.users), server.domain, {
      limits: { perEmail: { count: 1, windowSeconds: 60 }, perIp: { count: 3, windowSeconds: 60 } },
    });
    const email = `${uniqueName("one")}@mail.example.org`;
    expect((await gw.api({ token: gw.token, action: "create", username: uniqueName("e"), email })).status).toBe(200);
    const again = await gw.api({ token: gw.token, action: "create", username: uniqueName("e"), email });
    expect(again.json).toMatchObject({ error: "rate_limited", message: expect.stringMatching(/e-mail address/) });
    await gw.api({ token: gw.token, action: "reset_pass", username: uniqueName("ip") });
    const fourth = await gw.api({ token: gw.token, action: "reset_pass", username: uniqueName("ip") });
    expect(fourth.json).toMatchObject({ error: "rate_limited", message: expect.stringMatching(/from this address/) });
  });
});

describe("a backend that fails", () => {
  it("502 on the page, and the link works again afterwards", async () => {
    let failures = 1;
    const real = usersProvisioner(server.users);
    const flaky: Provisioner = {
      ...real,
      async createUser(account) {
        if (failures-- > 0) throw new Error("connection refused by the XMPP server");
        return real.createUser(account);
      },
    };
    const gw = await gatewayWith(flaky, server.domain);
    const username = uniqueName("flaky");
    const email = `${username}@mail.example.org`;
    await gw.api({ token: gw.token, action: "create", username, email });
    const browser = pageClient(gw.url);
    const form = await browser.get((await gw.sink.next(email)).link as string);
    const password = strongPassword();
    const failed = await browser.post("set-password", { ...form.fields, password, confirm: password });
    expect(failed.status).toBe(502);
    expect(failed.html).toContain("could not create the account");
    expect(failed.html).toContain('name="password"');
    const retried = await browser.post("set-password", { ...failed.fields, password, confirm: password });
    expect(retried.status).toBe(200);
    expect(await canLogIn(connectTo(server), username, password)).toBe(true);
    expect(gw.events).toContainEqual(expect.objectContaining({ type: "backend_failed", detail: "Error" }));
  });
});
