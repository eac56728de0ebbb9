// The REST API backend against a fake plugin that answers as its Java does (docs/provisioning.md#13-our-fake).
import { createServer } from "node:http";
import {
  AbortError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  ItemNotFoundError,
  LimitExceededError,
  NotAuthorizedError,
  ServiceUnavailableError,
  TimeoutError,
} from "@reguser/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  OPENFIRE_MAX_REPLY_BYTES,
  OpenfireConfigurationError,
  OpenfireError,
  type OpenfireRestApiOptions,
  openfireRestApiProvisioner,
  UnexpectedResponseError,
} from "../src/index.js";
import { addUser } from "./helpers/fake-openfire.js";
import { type FakeRestApi, startFakeRestApi } from "./helpers/fake-rest-api.js";
import { rejectionWithout } from "./helpers/secrets.js";

const SECRET = "s3cretKey/ü+&";
const PASSWORD = 'p@ss w0rd"ü';
const SECRETS = [SECRET, PASSWORD];
const V1 = "/plugins/restapi/v1";

let fake: FakeRestApi;
const admins: { close(): Promise<void> }[] = [];
const connect = (extra: Partial<{ timeout: number; baseUrl: string }> = {}) => {
  const admin = openfireRestApiProvisioner({ baseUrl: fake.url, secret: SECRET, timeout: 10_000, ...extra });
  admins.push(admin);
  return admin;
};

beforeEach(async () => {
  fake = await startFakeRestApi({ secret: SECRET, sharedGroups: ["Everyone"] });
});
afterEach(async () => {
  await Promise.all(admins.splice(0).map((a) => a.close()));
  await fake.close();
  expect(fake.violations).toEqual([]);
});

/** A rejection that must carry neither the secret nor the password, however encoded. */
const failure = (promise: Promise<unknown>) => rejectionWithout(promise, SECRETS);

const requestLine = (i: number) => `${fake.requests[i]?.method} ${fake.requests[i]?.target}`;

describe("requests as readme.md and the resource classes define them", () => {
  it("createUser: POST /users, bare secret in Authorization, JSON in and out, 201", async () => {
    await connect().createUser({ username: "jeanluc", password: PASSWORD, name: "Jean-Luc", email: "jlp@example.com" });
    const [req] = fake.requests;
    expect(requestLine(0)).toBe(`POST ${V1}/users`);
    expect(req?.headers.authorization).toBe(SECRET);
    expect(req?.headers.accept).toBe("application/json");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(fake.bodies).toEqual([
      { username: "jeanluc", password: PASSWORD, name: "Jean-Luc", email: "jlp@example.com" },
    ]);
    expect(fake.openfire.users.get("jeanluc")).toMatchObject({ password: PASSWORD, name: "Jean-Luc" });
  });

  it("non-ASCII usernames go in the path as UTF-8 percent-encoding; names in JSON", async () => {
    const admin = connect();
    await admin.createUser({ username: "José", password: PASSWORD, name: "李" });
    expect(fake.openfire.users.get("josé")?.name).toBe("李");
    await admin.disableUser("josé");
    expect(requestLine(1)).toBe(`POST ${V1}/lockouts/jos%C3%A9`);
    await admin.updateUser("José", { name: "李小龍" });
    expect(requestLine(2)).toBe(`GET ${V1}/users/Jos%C3%A9`);
    expect(requestLine(3)).toBe(`PUT ${V1}/users/Jos%C3%A9`);
    expect(fake.openfire.users.get("josé")?.name).toBe("李小龍");
    await admin.removeUser("josé");
    expect(fake.openfire.users.size).toBe(0);
  });

  it("Basic mode: an Openfire admin's credentials instead of the secret", async () => {
    await fake.close();
    fake = await startFakeRestApi({ admins: { boss: PASSWORD } });
    const basic: OpenfireRestApiOptions = { baseUrl: fake.url, basic: { username: "boss", password: PASSWORD } };
    await openfireRestApiProvisioner(basic).createUser({ username: "jeanluc", password: "makeitso" });
    expect(fake.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`boss:${PASSWORD}`).toString("base64")}`);
    const wrong = openfireRestApiProvisioner({ ...basic, basic: { username: "boss", password: "guess" } });
    expect(await failure(wrong.removeUser("jeanluc"))).toBeInstanceOf(NotAuthorizedError);
  });
});

describe("every Provisioner method and extra", () => {
  beforeEach(() => {
    const user = addUser(fake.openfire, { username: "jeanluc", password: "old", name: "Jean-Luc", email: "j@e.com" });
    user.properties.set("tea", "earlgreyhot");
  });

  it("removeUser: DELETE /users/{username}, 200", async () => {
    await connect().removeUser("jeanluc");
    expect(requestLine(0)).toBe(`DELETE ${V1}/users/jeanluc`);
    expect(fake.requests[0]?.headers["content-type"]).toBeUndefined();
    expect(fake.openfire.users.has("jeanluc")).toBe(false);
  });

  it("userExists: GET /users/{username}; 200 is true, 404 UserNotFoundException false, other failures throw", async () => {
    const admin = connect();
    expect(await admin.userExists("jeanluc")).toBe(true);
    expect(await admin.userExists("nobody")).toBe(false);
    expect([requestLine(0), requestLine(1)]).toEqual([`GET ${V1}/users/jeanluc`, `GET ${V1}/users/nobody`]);
    expect(fake.openfire.users.has("nobody")).toBe(false);
    const wrong = openfireRestApiProvisioner({ baseUrl: fake.url, secret: "nope" });
    expect(await failure(wrong.userExists("jeanluc"))).toBeInstanceOf(NotAuthorizedError);
    const elsewhere = connect({ baseUrl: `${fake.url}/openfire` });
    expect(await failure(elsewhere.userExists("nobody"))).toBeInstanceOf(OpenfireConfigurationError);
  });

  it("changePassword: PUT the password and the properties read first (the plugin clears what is left out)", async () => {
    await connect().changePassword({ username: "jeanluc", password: PASSWORD });
    expect([requestLine(0), requestLine(1)]).toEqual([`GET ${V1}/users/jeanluc`, `PUT ${V1}/users/jeanluc`]);
    expect(fake.bodies).toEqual([{ password: PASSWORD, properties: [{ key: "tea", value: "earlgreyhot" }] }]);
    const user = fake.openfire.users.get("jeanluc");
    expect(user).toMatchObject({ password: PASSWORD, name: "Jean-Luc", email: "j@e.com" });
    expect(user?.properties.get("tea")).toBe("earlgreyhot");
  });

  it("updateUser sends only what changes and never a username (which would rename)", async () => {
    await connect().updateUser("jeanluc", { email: "jeanluc@example.com" });
    expect(fake.bodies[0]).toEqual({
      email: "jeanluc@example.com",
      properties: [{ key: "tea", value: "earlgreyhot" }],
    });
    expect(fake.openfire.users.get("jeanluc")).toMatchObject({ email: "jeanluc@example.com", password: "old" });
  });

  it("disableUser: POST /lockouts/{username} (201); enableUser: DELETE (200)", async () => {
    const admin = connect();
    await admin.disableUser("jeanluc");
    expect(fake.openfire.users.get("jeanluc")?.locked).toBe(true);
    await admin.enableUser("jeanluc");
    expect(fake.openfire.users.get("jeanluc")?.locked).toBe(false);
    expect([requestLine(0), requestLine(1)]).toEqual([`POST ${V1}/lockouts/jeanluc`, `DELETE ${V1}/lockouts/jeanluc`]);
  });

  it("roster: POST /users/{u}/roster, PUT and DELETE /users/{u}/roster/{jid}", async () => {
    const admin = connect();
    const jid = "peter@pan.de";
    await admin.addRosterItem("jeanluc", { jid, nickname: "Peter", subscription: "both", groups: ["Friends"] });
    expect(requestLine(0)).toBe(`POST ${V1}/users/jeanluc/roster`);
    expect(fake.bodies[0]).toEqual({ jid, nickname: "Peter", subscriptionType: 3, groups: ["Friends"] });
    await admin.updateRosterItem("jeanluc", { jid, subscription: "to" });
    expect(requestLine(1)).toBe(`PUT ${V1}/users/jeanluc/roster/peter%40pan.de`);
    // The REST API keeps a nickname and groups left out.
    expect(fake.openfire.users.get("jeanluc")?.roster.get(jid)).toMatchObject({
      nickname: "Peter",
      groups: ["Friends"],
      subscription: 1,
    });
    await admin.deleteRosterItem("jeanluc", jid);
    expect(requestLine(2)).toBe(`DELETE ${V1}/users/jeanluc/roster/peter%40pan.de`);
    expect(fake.openfire.users.get("jeanluc")?.roster.size).toBe(0);
  });
});

describe("status codes and the error entity become typed errors", () => {
  beforeEach(() => {
    addUser(fake.openfire, { username: "jeanluc", password: "old" });
  });

  it("409 UserAlreadyExistsException → ConflictError carrying the entity", async () => {
    const err = await failure(connect().createUser({ username: "jeanluc", password: PASSWORD }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toMatch(/Could not create new user \[UserAlreadyExistsException\]/);
    expect(err.cause).toBeInstanceOf(OpenfireError);
    expect(err.cause).toMatchObject({ exception: "UserAlreadyExistsException", resource: "jeanluc", status: 409 });
  });

  it("404 UserNotFoundException / RosterItemNotFound → ItemNotFoundError", async () => {
    const admin = connect();
    for (const call of [
      admin.removeUser("nobody"),
      admin.changePassword({ username: "nobody", password: PASSWORD }),
      admin.disableUser("nobody"),
      admin.enableUser("nobody"),
      admin.addRosterItem("nobody", { jid: "a@b" }),
      admin.updateRosterItem("jeanluc", { jid: "a@b" }),
    ]) {
      const err = await failure(call);
      expect(err).toBeInstanceOf(ItemNotFoundError);
      expect((err.cause as OpenfireError).exception).toBe("UserNotFoundException");
    }
    const err = await failure(admin.deleteRosterItem("jeanluc", "a@b"));
    expect(err).toBeInstanceOf(ItemNotFoundError);
    expect(err.cause).toMatchObject({ exception: "RosterItemNotFound", text: "Roster Item could not deleted" });
  });

  it("409 on a roster item that exists", async () => {
    const admin = connect();
    await admin.addRosterItem("jeanluc", { jid: "a@b" });
    expect(await failure(admin.addRosterItem("jeanluc", { jid: "a@b" }))).toBeInstanceOf(ConflictError);
  });

  it("400 → BadRequestError: PasswordIsNull, SharedGroupException", async () => {
    const admin = connect();
    // Untyped callers can leave the password out.
    const err = await failure(admin.createUser({ username: "q" } as never));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.cause).toMatchObject({ exception: "PasswordIsNull" });
    const shared = await failure(admin.addRosterItem("jeanluc", { jid: "a@b", groups: ["Everyone"] }));
    expect(shared).toBeInstanceOf(BadRequestError);
    expect(shared.cause).toMatchObject({ exception: "SharedGroupException" });
  });

  it("401 (wrong secret, or an address not allowed) → NotAuthorizedError without reading the HTML body", async () => {
    const wrong = openfireRestApiProvisioner({ baseUrl: fake.url, secret: "nope" });
    const err = await failure(wrong.removeUser("jeanluc"));
    expect(err).toBeInstanceOf(NotAuthorizedError);
    expect(err.message).not.toMatch(/html/i);
    fake.settings.allowedIps = ["10.0.0.1"];
    expect(await failure(connect().removeUser("jeanluc"))).toBeInstanceOf(NotAuthorizedError);
  });

  it("403 (plugin disabled) → ServiceUnavailableError", async () => {
    fake.settings.enabled = false;
    const err = await failure(connect().removeUser("jeanluc"));
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err.message).toMatch(/disabled/);
  });

  it("500 → InternalServerError, with the entity's text when there is one; 503 → ServiceUnavailableError", async () => {
    fake.next({
      status: 500,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ resource: "jeanluc", message: "boom", exception: "ServiceException" }),
    });
    const err = await failure(connect().removeUser("jeanluc"));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.message).toMatch(/boom \[ServiceException\]/);
    // What Jersey gives an unmapped runtime exception (here: a JID it cannot parse).
    expect(await failure(connect().addRosterItem("jeanluc", { jid: "a b@c" }))).toBeInstanceOf(InternalServerError);
    fake.next({ status: 503 });
    expect(await failure(connect().removeUser("jeanluc"))).toBeInstanceOf(ServiceUnavailableError);
  });

  it("302 to /login.jsp (wildcards-in-excludes off) → OpenfireConfigurationError, not unauthorised", async () => {
    fake.settings.wildcardsInExcludes = false;
    const err = await failure(connect().createUser({ username: "q", password: PASSWORD }));
    expect(err).toBeInstanceOf(OpenfireConfigurationError);
    expect(err.message).toMatch(/redirected to \/login\.jsp.*allow-wildcards-in-excludes/);
  });

  it("a 404 without the entity (no plugin at that address) → OpenfireConfigurationError", async () => {
    const err = await failure(connect({ baseUrl: `${fake.url}/openfire` }).removeUser("jeanluc"));
    expect(err).toBeInstanceOf(OpenfireConfigurationError);
  });

  it("a 2xx HTML page, or a status the plugin never sends → typed, never success", async () => {
    fake.next({ status: 200, headers: { "content-type": "text/html" }, body: "<html>login</html>" });
    expect(await failure(connect().removeUser("jeanluc"))).toBeInstanceOf(OpenfireConfigurationError);
    fake.next({ status: 418, headers: { "content-type": "text/plain" }, body: `teapot ${SECRET}` });
    const err = await failure(connect().removeUser("jeanluc"));
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err).toMatchObject({ status: 418 });
  });

  it("usernames that a URL path cannot carry are refused before sending", async () => {
    for (const name of ["", ".", ".."]) {
      expect(await failure(connect().removeUser(name))).toBeInstanceOf(BadRequestError);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe("the fake answers in the documented formats", () => {
  it("the error entity follows Accept, else Content-Type, else XML", async () => {
    const get = (headers: Record<string, string>) =>
      fetch(`${fake.url}${V1}/users/nobody`, { headers: { authorization: SECRET, ...headers } });
    const xml = await get({});
    expect(xml.status).toBe(404);
    expect(xml.headers.get("content-type")).toBe("application/xml");
    expect(await xml.text()).toContain(
      "<error><resource>nobody</resource><message>Could not get user</message><exception>UserNotFoundException</exception></error>",
    );
    const json = await get({ accept: "application/json" });
    expect(await json.json()).toEqual({
      resource: "nobody",
      message: "Could not get user",
      exception: "UserNotFoundException",
    });
  });
});

describe("transport failures", () => {
  it("a server that never answers → TimeoutError", async () => {
    fake.next("hang");
    const err = await failure(connect({ timeout: 150 }).createUser({ username: "q", password: PASSWORD }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ operation: 'Openfire REST API createUser "q"', timeout: 150 });
  });

  it("a server that is down → ConnectionError", async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, "127.0.0.1", resolve));
    const { port } = down.address() as { port: number };
    await new Promise((resolve) => down.close(resolve));
    const admin = openfireRestApiProvisioner({ baseUrl: `http://127.0.0.1:${port}`, secret: SECRET });
    const err = await failure(admin.createUser({ username: "q", password: PASSWORD }));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it("a reply over 1 MiB → LimitExceededError", async () => {
    fake.next({
      status: 200,
      headers: { "content-type": "application/json" },
      body: "x".repeat(OPENFIRE_MAX_REPLY_BYTES + 1),
    });
    expect(await failure(connect().removeUser("jeanluc"))).toBeInstanceOf(LimitExceededError);
  });

  it("close() aborts requests in flight", async () => {
    const admin = connect();
    fake.next("hang");
    const pending = admin.removeUser("jeanluc");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await admin.close();
    expect(await failure(pending)).toBeInstanceOf(AbortError);
  });
});
