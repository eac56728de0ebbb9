// The User Service backend against a fake plugin that answers as UserServiceLegacy.java does
// (docs/provisioning.md#22-requests-and-replies).
import { createServer } from "node:http";
import {
  AbortError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  ItemNotFoundError,
  NotAuthorizedError,
  ServiceUnavailableError,
  TimeoutError,
} from "@reguser/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  IllegalArgumentError,
  OpenfireConfigurationError,
  OpenfireError,
  type OpenfireUserServiceOptions,
  openfireUserServiceProvisioner,
  SharedGroupError,
  UnexpectedResponseError,
  USER_SERVICE_PATHS,
  UserServiceDisabledError,
} from "../src/index.js";
import { addUser } from "./helpers/fake-openfire.js";
import { type FakeUserService, startFakeUserService } from "./helpers/fake-user-service.js";
import { rejectionWithout } from "./helpers/secrets.js";

const SECRET = "s3cr&t=+/ü%20";
const PASSWORD = "p@ss w0rd+ü&=";
const SECRETS = [SECRET, PASSWORD];

let fake: FakeUserService;
const admins: { close(): Promise<void> }[] = [];
const connect = (extra: Partial<OpenfireUserServiceOptions> = {}) => {
  const admin = openfireUserServiceProvisioner({ baseUrl: fake.url, secret: SECRET, timeout: 10_000, ...extra });
  admins.push(admin);
  return admin;
};

beforeEach(async () => {
  fake = await startFakeUserService({ secret: SECRET, sharedGroups: ["Everyone"] });
});
afterEach(async () => {
  await Promise.all(admins.splice(0).map((a) => a.close()));
  await fake.close();
  expect(fake.violations).toEqual([]);
});

/** A rejection that must carry neither the secret nor the password, however encoded. */
const failure = (promise: Promise<unknown>) => rejectionWithout(promise, SECRETS);

describe("requests as the readme documents them", () => {
  it("createUser POSTs type=add, secret and the user as a UTF-8 form body", async () => {
    await connect().createUser({ username: "kafka", password: PASSWORD, name: "franz", email: "franz@kafka.com" });
    const [req] = fake.requests;
    expect(req?.method).toBe("POST");
    expect(req?.target).toBe(USER_SERVICE_PATHS.plugin);
    expect(req?.headers["content-type"]).toBe("application/x-www-form-urlencoded; charset=UTF-8");
    expect(fake.params).toEqual([
      { type: "add", secret: SECRET, username: "kafka", password: PASSWORD, name: "franz", email: "franz@kafka.com" },
    ]);
    expect(fake.openfire.users.get("kafka")).toMatchObject({ password: PASSWORD, name: "franz", locked: false });
  });

  it("GET puts the same parameters in the query string, as the readme's samples do", async () => {
    await connect({ method: "GET" }).createUser({ username: "kafka", password: PASSWORD });
    const [req] = fake.requests;
    expect(req?.method).toBe("GET");
    expect(req?.body).toBe("");
    expect(req?.target).toMatch(/^\/plugins\/userService\/userservice\?type=add&secret=/);
    expect(fake.params[0]).toEqual({ type: "add", secret: SECRET, username: "kafka", password: PASSWORD });
  });

  it('URL-encodes non-ASCII values as UTF-8 (the readme\'s URLEncoder.encode(…, "UTF-8"))', async () => {
    await connect().createUser({ username: "José", password: PASSWORD, name: "李 小龍" });
    expect(fake.requests[0]?.body).toContain("username=Jos%C3%A9");
    expect(fake.requests[0]?.body).toContain("name=%E6%9D%8E+%E5%B0%8F%E9%BE%8D");
    // The plugin trims, lower-cases and nodepreps the username.
    expect(fake.openfire.users.get("josé")?.name).toBe("李 小龍");
    await connect({ method: "GET" }).updateUser("JOSÉ", { name: "李" });
    expect(fake.requests[1]?.target).toContain("username=JOS%C3%89");
    expect(fake.openfire.users.get("josé")?.name).toBe("李");
  });

  it("answers at the REST API plugin's copy of the servlet too", async () => {
    await fake.close();
    fake = await startFakeUserService({ secret: SECRET, path: USER_SERVICE_PATHS.restApi });
    await connect({ path: USER_SERVICE_PATHS.restApi }).createUser({ username: "kafka", password: PASSWORD });
    expect(fake.openfire.users.has("kafka")).toBe(true);
  });
});

describe("every Provisioner method and extra", () => {
  beforeEach(() => {
    addUser(fake.openfire, { username: "kafka", password: "old", name: "franz", email: "f@k.com" });
  });

  it("removeUser removes the user", async () => {
    await connect().removeUser("kafka");
    expect(fake.params[0]).toEqual({ type: "delete", secret: SECRET, username: "kafka" });
    expect(fake.openfire.users.has("kafka")).toBe(false);
  });

  it("changePassword is type=update with the password alone: name and e-mail stay", async () => {
    await connect().changePassword({ username: "kafka", password: PASSWORD });
    expect(fake.params[0]).toEqual({ type: "update", secret: SECRET, username: "kafka", password: PASSWORD });
    expect(fake.openfire.users.get("kafka")).toMatchObject({ password: PASSWORD, name: "franz", email: "f@k.com" });
  });

  it("disableUser and enableUser lock the account out and back in", async () => {
    const admin = connect();
    await admin.disableUser("kafka");
    expect(fake.openfire.users.get("kafka")?.locked).toBe(true);
    await admin.enableUser("kafka");
    expect(fake.openfire.users.get("kafka")?.locked).toBe(false);
    expect(fake.params.map((p) => p.type)).toEqual(["disable", "enable"]);
  });

  it("updateUser sends what is given; groups are comma-delimited and replace the memberships", async () => {
    const admin = connect();
    await admin.updateUser("kafka", { email: "franz@kafka.com", groups: ["writers", "Prague"] });
    expect(fake.params[0]).toEqual({
      type: "update",
      secret: SECRET,
      username: "kafka",
      email: "franz@kafka.com",
      groups: "writers,Prague",
    });
    expect(fake.openfire.groups.get("Prague")?.has("kafka")).toBe(true);
    await admin.updateUser("kafka", { groups: [] });
    expect(fake.openfire.groups.get("Prague")?.has("kafka")).toBe(false);
    const err = await failure(admin.updateUser("kafka", { groups: ["a,b"] }));
    expect(err).toBeInstanceOf(IllegalArgumentError);
    expect(fake.requests).toHaveLength(2);
  });

  it("createUser with groups puts the new user in them", async () => {
    await connect().createUser({ username: "max", password: PASSWORD }, { groups: ["writers"] });
    expect(fake.params[0]?.groups).toBe("writers");
    expect(fake.openfire.groups.get("writers")?.has("max")).toBe(true);
  });

  it("add_roster, update_roster and delete_roster take item_jid, name, subscription and groups", async () => {
    const admin = connect();
    const jid = "franz@kafka.com";
    await admin.addRosterItem("kafka", { jid, nickname: "Franz", subscription: "both", groups: ["Family"] });
    expect(fake.params[0]).toEqual({
      type: "add_roster",
      secret: SECRET,
      username: "kafka",
      item_jid: jid,
      name: "Franz",
      subscription: "3",
      groups: "Family",
    });
    expect(fake.openfire.users.get("kafka")?.roster.get(jid)).toMatchObject({ nickname: "Franz", subscription: 3 });
    await admin.updateRosterItem("kafka", { jid, subscription: "none" });
    // The plugin replaces the whole item: no name, no groups.
    expect(fake.openfire.users.get("kafka")?.roster.get(jid)).toMatchObject({ nickname: undefined, groups: [] });
    await admin.deleteRosterItem("kafka", jid);
    expect(fake.params[2]).toEqual({ type: "delete_roster", secret: SECRET, username: "kafka", item_jid: jid });
    expect(fake.openfire.users.get("kafka")?.roster.size).toBe(0);
    // "No error returns if nothing to delete."
    await admin.deleteRosterItem("kafka", jid);
  });
});

describe("<error/> replies become typed errors", () => {
  beforeEach(() => {
    addUser(fake.openfire, { username: "kafka", password: "old" });
  });

  it("UserAlreadyExistsException → ConflictError (user, and roster item for add_roster)", async () => {
    const admin = connect();
    const err = await failure(admin.createUser({ username: "Kafka", password: PASSWORD }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.cause).toBeInstanceOf(OpenfireError);
    expect((err.cause as OpenfireError).exception).toBe("UserAlreadyExistsException");
    await admin.addRosterItem("kafka", { jid: "max@brod.cz" });
    const again = await failure(admin.addRosterItem("kafka", { jid: "max@brod.cz" }));
    expect(again).toBeInstanceOf(ConflictError);
    expect(again.message).toMatch(/roster already has this item/);
  });

  it("UserNotFoundException → ItemNotFoundError (user, and roster item for update_roster)", async () => {
    const admin = connect();
    for (const call of [
      admin.removeUser("nobody"),
      admin.changePassword({ username: "nobody", password: PASSWORD }),
      admin.disableUser("nobody"),
      admin.enableUser("nobody"),
      admin.updateRosterItem("kafka", { jid: "max@brod.cz" }),
    ]) {
      expect(await failure(call)).toBeInstanceOf(ItemNotFoundError);
    }
  });

  it("RequestNotAuthorised → NotAuthorizedError: a wrong secret, or an address not allowed", async () => {
    const wrong = openfireUserServiceProvisioner({ baseUrl: fake.url, secret: "not-it" });
    expect(await failure(wrong.createUser({ username: "max", password: PASSWORD }))).toBeInstanceOf(NotAuthorizedError);
    fake.settings.allowedIps = ["10.0.0.1"];
    const err = await failure(connect().createUser({ username: "max", password: PASSWORD }));
    expect(err).toBeInstanceOf(NotAuthorizedError);
    expect(err.message).toMatch(/allowed IP addresses/);
  });

  it("UserServiceDisabled → UserServiceDisabledError", async () => {
    fake.settings.enabled = false;
    const err = await failure(connect().createUser({ username: "max", password: PASSWORD }));
    expect(err).toBeInstanceOf(UserServiceDisabledError);
    expect(err).toMatchObject({ exception: "UserServiceDisabled" });
  });

  it("IllegalArgumentException → IllegalArgumentError (an empty password, a bad JID)", async () => {
    const admin = connect();
    expect(await failure(admin.createUser({ username: "max", password: "" }))).toBeInstanceOf(IllegalArgumentError);
    expect(await failure(admin.addRosterItem("kafka", { jid: "a b@c" }))).toBeInstanceOf(IllegalArgumentError);
  });

  it("SharedGroupException → SharedGroupError", async () => {
    const user = fake.openfire.users.get("kafka")!;
    user.roster.set("boss@corp", { jid: "boss@corp", nickname: undefined, subscription: 3, groups: [], shared: true });
    const admin = connect();
    expect(await failure(admin.deleteRosterItem("kafka", "boss@corp"))).toBeInstanceOf(SharedGroupError);
    const add = admin.addRosterItem("kafka", { jid: "max@brod.cz", groups: ["Everyone"] });
    expect(await failure(add)).toBeInstanceOf(SharedGroupError);
  });

  it("any other exception (e.toString()) → OpenfireError carrying its name", async () => {
    const err = await failure(connect().createUser({ username: "bell\u0007", password: PASSWORD }));
    expect(err.constructor).toBe(OpenfireError);
    expect(err).toMatchObject({ exception: "gnu.inet.encoding.StringprepException" });
    expect(err.message).toMatch(/Contains prohibited code points/);
  });
});

describe("replies the plugin does not send", () => {
  const call = () => connect().removeUser("kafka");

  it("an empty body (what an unknown type gets) → UnexpectedResponseError", async () => {
    fake.next({ status: 200 });
    const err = await failure(call());
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err).toMatchObject({ status: 200, body: "" });
  });

  it("a result other than ok, or text that is no reply → UnexpectedResponseError; OK in capitals is fine", async () => {
    fake.next({ status: 200, headers: { "content-type": "text/xml" }, body: "<result>maybe</result>" });
    expect(await failure(call())).toBeInstanceOf(UnexpectedResponseError);
    fake.next({ status: 200, headers: { "content-type": "text/plain" }, body: `echo ${SECRET} ${PASSWORD}` });
    const err = await failure(connect().changePassword({ username: "kafka", password: PASSWORD }));
    expect((err as UnexpectedResponseError).body).toContain("[redacted]");
    addUser(fake.openfire, { username: "kafka", password: "x" });
    fake.next({ status: 200, headers: { "content-type": "text/xml" }, body: "<result>OK</result>\r\n" });
    await call();
  });

  it("a 500 (what a missing type gets) → InternalServerError, 503 → ServiceUnavailableError", async () => {
    fake.next({ status: 500, body: "<html>NullPointerException</html>", headers: { "content-type": "text/html" } });
    expect(await failure(call())).toBeInstanceOf(InternalServerError);
    fake.next({ status: 503 });
    expect(await failure(call())).toBeInstanceOf(ServiceUnavailableError);
  });

  it("the redirect to login.jsp → OpenfireConfigurationError naming the setting, without the quoted URL", async () => {
    fake.settings.wildcardsInExcludes = false;
    const err = await failure(connect({ method: "GET" }).createUser({ username: "max", password: PASSWORD }));
    expect(err).toBeInstanceOf(OpenfireConfigurationError);
    expect(err.message).toMatch(/redirected to \/login\.jsp: .*allow-wildcards-in-excludes/);
  });

  it("nothing at the path (plugin not installed) → OpenfireConfigurationError", async () => {
    const err = await failure(connect({ path: "/plugins/nothing/here" }).removeUser("kafka"));
    expect(err).toBeInstanceOf(OpenfireConfigurationError);
    expect(err.message).toMatch(/HTTP 404/);
  });
});

describe("transport failures", () => {
  it("a server that never answers → TimeoutError after `timeout` ms", async () => {
    fake.next("hang");
    const admin = connect({ timeout: 150, method: "GET" });
    const err = await failure(admin.createUser({ username: "max", password: PASSWORD }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ timeout: 150, operation: "Openfire User Service add" });
  });

  it("a server that is down → ConnectionError with the reason", async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, "127.0.0.1", resolve));
    const { port } = down.address() as { port: number };
    await new Promise((resolve) => down.close(resolve));
    for (const method of ["POST", "GET"] as const) {
      // GET: secret and password are in the URL fetch was given.
      const admin = openfireUserServiceProvisioner({ baseUrl: `http://127.0.0.1:${port}`, secret: SECRET, method });
      const err = await failure(admin.createUser({ username: "max", password: PASSWORD }));
      expect(err).toBeInstanceOf(ConnectionError);
      expect(err.message).toMatch(/ECONNREFUSED/);
    }
  });

  it("close() aborts requests in flight with AbortError; later calls work", async () => {
    const admin = connect();
    fake.next("hang");
    const pending = admin.createUser({ username: "max", password: PASSWORD });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await admin.close();
    expect(await failure(pending)).toBeInstanceOf(AbortError);
    await admin.createUser({ username: "max", password: PASSWORD });
  });

  it("refuses a baseUrl that is not http(s) before sending anything", () => {
    expect(() => openfireUserServiceProvisioner({ baseUrl: "ftp://x", secret: SECRET })).toThrow(
      OpenfireConfigurationError,
    );
    expect(() => openfireUserServiceProvisioner({ baseUrl: "not a url", secret: SECRET })).toThrow(/not a URL/);
  });
});
