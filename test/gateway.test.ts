// The account gateway on the embedded server, end to end over HTTP with a real SMTP server: the seed's two calls,
// the link flow through the pages, and every refusal the JSON API promises.
import { type EmbeddedServer, startServer, usersProvisioner } from "@reguser/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { type GatewayFixture, pageClient, startGateway } from "./support/gateway-fixture.js";
import { strongPassword, uniqueName } from "./support/names.js";

let server: EmbeddedServer;
let gw: GatewayFixture;
const secrets: string[] = [];

beforeAll(async () => {
  server = await startServer({ domain: "gateway.test" });
  gw = await startGateway(usersProvisioner(server.users), server.domain, {
    limits: { perIp: false, perEmail: false, perToken: false, perUsername: { count: 3, windowSeconds: 3600 } },
  });
  secrets.push(gw.token);
});
afterAll(async () => {
  // Nothing secret ever reached the log.
  const logged = JSON.stringify(gw?.events ?? []);
  for (const secret of secrets) expect(logged).not.toContain(secret);
  await gw?.stop();
  await server?.close();
});

const create = (username: string, email: string, extra: Record<string, string> = {}) =>
  gw.api({ token: gw.token, action: "create", username, email, name: "Joe Do", ...extra });

/** Open the mailed link and choose `password`; the page's result. */
async function choosePassword(link: string, password: string, confirm = password) {
  const browser = pageClient(gw.url);
  const form = await browser.get(link);
  expect(form.status).toBe(200);
  return browser.post("set-password", { ...form.fields, password, confirm });
}

describe("create: a link, then a password on the gateway's page", () => {
  it("creates the account only when the link is used, and it logs in", async () => {
    const username = uniqueName("gw");
    const email = `${username}@mail.example.org`;
    const created = await create(username, email);
    expect(created).toMatchObject({ status: 200, json: { status: "ok", action: "create" } });
    const mail = await gw.sink.next(email);
    expect(mail.subject).toBe(`Confirm your chat account ${username}@${server.domain}`);
    expect(mail.text).toContain("Hello Joe Do,");
    expect(mail.html).toContain(mail.link?.replaceAll("&", "&#38;"));
    expect(mail.link).toMatch(new RegExp(`^${gw.url}/set-password\\?t=`));
    secrets.push(mail.link as string, new URL(mail.link as string).searchParams.get("t") as string);
    // Nothing exists until the link is used: a mail scanner opening it spends nothing either.
    expect(server.users.has(username)).toBe(false);
    const late = pageClient(gw.url);
    const lateForm = await late.get(mail.link as string);
    expect(server.users.has(username)).toBe(false);

    const password = strongPassword();
    secrets.push(password);
    const done = await choosePassword(mail.link as string, password);
    expect(done.status).toBe(200);
    expect(done.html).toContain(`Your account <b>${username}@${server.domain}</b> is ready`);
    expect(await canLogIn(connectTo(server), username, password)).toBe(true);
    expect(server.users.get(username)?.fields).toMatchObject({ email, name: "Joe Do" });

    // Used once: a second tab that opened it before gets 410, and so does the link itself; nothing changes.
    const other = strongPassword();
    const replay = await late.post("set-password", { ...lateForm.fields, password: other, confirm: other });
    expect(replay.status).toBe(410);
    expect(replay.html).toContain("used already");
    const again = await pageClient(gw.url).get(mail.link as string);
    expect(again.status).toBe(410);
    expect(await canLogIn(connectTo(server), username, password)).toBe(true);
  });

  it("answers 409 for a name the server has, and for one a pending link holds", async () => {
    const existing = uniqueName("gw");
    server.users.add({ username: existing, password: strongPassword() });
    expect(await create(existing, "x@mail.example.org")).toMatchObject({ status: 409, json: { error: "taken" } });

    const pending = uniqueName("gw");
    expect((await create(pending, "first@mail.example.org")).status).toBe(200);
    expect(await create(pending, "second@mail.example.org")).toMatchObject({ status: 409, json: { error: "taken" } });
    await gw.sink.next("first@mail.example.org");
  });

  it("refuses a password that is too short or differs from its confirmation, and the link still works", async () => {
    const username = uniqueName("gw");
    const email = `${username}@mail.example.org`;
    await create(username, email);
    const link = (await gw.sink.next(email)).link as string;
    const browser = pageClient(gw.url);
    const form = await browser.get(link);
    const short = await browser.post("set-password", { ...form.fields, password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    expect(short.html).toContain("at least 10 characters");
    const differ = await browser.post("set-password", {
      ...form.fields,
      password: strongPassword(),
      confirm: "other-password-1",
    });
    expect(differ.html).toContain("The two passwords differ");
    const password = strongPassword();
    expect((await browser.post("set-password", { ...short.fields, password, confirm: password })).status).toBe(200);
    expect(await canLogIn(connectTo(server), username, password)).toBe(true);
  });

  it("of two browsers submitting one link at once, exactly one creates the account", async () => {
    const username = uniqueName("gw");
    const email = `${username}@mail.example.org`;
    await create(username, email);
    const link = (await gw.sink.next(email)).link as string;
    const [a, b] = [pageClient(gw.url), pageClient(gw.url)];
    const [formA, formB] = await Promise.all([a.get(link), b.get(link)]);
    const [pa, pb] = [strongPassword(), strongPassword()];
    const results = await Promise.all([
      a.post("set-password", { ...formA.fields, password: pa, confirm: pa }),
      b.post("set-password", { ...formB.fields, password: pb, confirm: pb }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    const winner = results[0]?.status === 200 ? pa : pb;
    const loser = winner === pa ? pb : pa;
    expect(await canLogIn(connectTo(server), username, winner)).toBe(true);
    expect(await canLogIn(connectTo(server), username, loser)).toBe(false);
  });

  it("refuses a form without the CSRF cookie or with another session's field", async () => {
    const username = uniqueName("gw");
    const email = `${username}@mail.example.org`;
    await create(username, email);
    const link = (await gw.sink.next(email)).link as string;
    const form = await pageClient(gw.url).get(link);
    const password = strongPassword();
    const stranger = await pageClient(gw.url).post("set-password", { ...form.fields, password, confirm: password });
    expect(stranger.status).toBe(403);
    const other = pageClient(gw.url);
    await other.get(link);
    const forged = await other.post("set-password", { ...form.fields, password, confirm: password });
    expect(forged.status).toBe(403);
    expect(server.users.has(username)).toBe(false);
  });

  it("leaves nothing behind when the mail cannot be sent: 502, and the name stays free", async () => {
    const username = uniqueName("gw");
    gw.sink.refuse(/^bounce@/);
    try {
      const failed = await create(username, "bounce@mail.example.org");
      expect(failed).toMatchObject({ status: 502, json: { error: "mail_failed" } });
    } finally {
      gw.sink.refuse(undefined);
    }
    expect(server.users.has(username)).toBe(false);
    expect((await create(username, "works@mail.example.org")).status).toBe(200);
    await gw.sink.next("works@mail.example.org");
  });
});

describe("reset_pass: only to the address on record", () => {
  it("mails the recorded address, never the one in the request, and the new password works", async () => {
    const username = uniqueName("gw");
    const owner = `${username}@mail.example.org`;
    await create(username, owner);
    const first = strongPassword();
    await choosePassword((await gw.sink.next(owner)).link as string, first);

    const attacker = "attacker@evil.example";
    const asked = await gw.api({ token: gw.token, action: "reset_pass", username, email: attacker, name: "x" });
    expect(asked).toMatchObject({ status: 200, json: { status: "ok", action: "reset_pass" } });
    await gw.gateway.settled();
    const mail = await gw.sink.next(owner);
    expect(mail.subject).toBe(`Choose a new password for ${username}@${server.domain}`);
    expect(gw.sink.mails.some((m) => m.to.includes(attacker))).toBe(false);
    const second = strongPassword();
    expect((await choosePassword(mail.link as string, second)).html).toContain("is set");
    expect(await canLogIn(connectTo(server), username, second)).toBe(true);
    expect(await canLogIn(connectTo(server), username, first)).toBe(false);
  });

  it("answers the same for an account it has no record of, and mails nobody", async () => {
    const before = gw.sink.mails.length;
    const known = uniqueName("gw");
    server.users.add({ username: known, password: strongPassword() });
    const ghost = await gw.api({ token: gw.token, action: "reset_pass", username: uniqueName("ghost") });
    const foreign = await gw.api({ token: gw.token, action: "reset_pass", username: known, email: "x@evil.example" });
    await gw.gateway.settled();
    expect(ghost.status).toBe(200);
    expect(foreign.json).toEqual(ghost.json);
    expect(gw.sink.mails.length).toBe(before);
  });
});

describe("refusals of the JSON API", () => {
  it("401 for a missing or wrong token, before looking at anything else", async () => {
    expect(await gw.api({ action: "create", username: "a", email: "a@example.org" })).toMatchObject({
      status: 400,
      json: { error: "bad_request", field: "token" },
    });
    const wrong = await gw.api({ token: "guess", action: "create", username: "a", email: "a@example.org" });
    expect(wrong).toMatchObject({ status: 401, json: { status: "error", error: "unauthorized" } });
  });

  it("400 for unknown fields, wrong types, bad JSON, a bad action and bad values", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [
        { token: gw.token, action: "create", username: "a", email: "a@example.org", admin: "1" },
        /Unknown field "admin"/,
      ],
      [{ token: gw.token, action: "create", username: 5, email: "a@example.org" }, /username must be a string/],
      [{ token: gw.token, action: "delete", username: "a" }, /create or reset_pass/],
      [{ token: gw.token, action: "create", username: "a" }, /email is required/],
      [{ token: gw.token, action: "create", username: "A", email: "a@example.org" }, /lower case/],
      [
        { token: gw.token, action: "create", username: "a", email: "a@example.org\r\nBcc: b@example.org" },
        /line break/,
      ],
      [{ token: gw.token, action: "create", username: "a", email: "a@example.org", name: "J\r\nBcc: x" }, /line break/],
      ["{not json", /not valid JSON/],
      ["[1,2]", /JSON object/],
    ];
    for (const [body, why] of cases) {
      const answer = await gw.api(body);
      expect(answer.status).toBe(400);
      expect(String(answer.json.message)).toMatch(why);
    }
  });

  it("415 for another media type, 413 for a body over the cap, 404 and 405 elsewhere", async () => {
    expect((await gw.api("token=x", { contentType: "application/x-www-form-urlencoded" })).status).toBe(415);
    const huge = await gw.api({
      token: gw.token,
      action: "create",
      username: "a",
      email: "a@example.org",
      name: "x".repeat(9000),
    });
    expect(huge).toMatchObject({ status: 413, json: { error: "payload_too_large" } });
    expect((await fetch(`${gw.url}/nowhere`)).status).toBe(404);
    expect((await fetch(`${gw.url}/api`)).status).toBe(405);
  });

  it("429 with Retry-After once a username is asked for too often", async () => {
    const username = uniqueName("gw");
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await gw.api({ token: gw.token, action: "reset_pass", username }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    const limited = answers[3];
    expect(limited?.json).toMatchObject({ error: "rate_limited" });
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
