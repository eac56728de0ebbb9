// The ejabberd HTTP API backend against a small fake mod_http_api that answers as ejabberd 23.01 did when probed
// (docs/provisioning.md#412-replies-and-errors); test/ejabberd-http-api.test.ts runs it against the real server.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import {
  AbortError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  FeatureNotImplementedError,
  ForbiddenError,
  InternalServerError,
  InvalidOptionError,
  ItemNotFoundError,
  JidMalformedError,
  LimitExceededError,
  NotAcceptableError,
  NotAuthorizedError,
  ServiceUnavailableError,
  TimeoutError,
} from "@reguser/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_REPLY_BYTES } from "../src/http.js";
import {
  EJABBERD_API_PATH,
  EjabberdApiError,
  EjabberdConfigurationError,
  type EjabberdHttpApiOptions,
  ejabberdHttpApiProvisioner,
  UnexpectedResponseError,
} from "../src/index.js";
import {
  type CannedReply,
  type FakeHttp,
  jettyError,
  type RecordedRequest,
  startFakeHttp,
} from "./helpers/fake-http.js";
import { leaks, rejection } from "./helpers/secrets.js";

const HOST = "localhost";
const ADMIN = { jid: "boss@localhost", password: "adm1n:pässwörd/+" };
const PASSWORD = 'p@ss w0rd"ü';
const BASIC = Buffer.from(`${ADMIN.jid}:${ADMIN.password}`).toString("base64");
const SECRETS = [ADMIN.password, PASSWORD, BASIC];

const apiError = (status: number, code: number, message: string) => json(status, { status: "error", code, message });
const typed = (status: number, type: string, body: string): CannedReply => ({
  status,
  headers: { "content-type": type },
  body,
});
/** What mod_http_api sends: always JSON. */
const json = (status: number, value: unknown) => typed(status, "application/json", JSON.stringify(value));
const UNACCEPTABLE = "Can't register user u@localhost at node n: The password contains unacceptable characters";

const ARGUMENTS: Record<string, readonly string[]> = {
  register: ["user", "host", "password"],
  unregister: ["user", "host"],
  change_password: ["user", "host", "newpass"],
  check_account: ["user", "host"],
};

/** ejabberd 23.01 as probed: auth, api_permissions (admins only), argument checks, the four commands. */
function fakeEjabberd(state: { users: Map<string, string>; accounts: Map<string, string>; admins: Set<string> }) {
  return (req: RecordedRequest): CannedReply => {
    const command = new RegExp(`^${EJABBERD_API_PATH}/(\\w+)$`).exec(req.target)?.[1];
    if (!command) return jettyError(404, "Not Found");
    const auth = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
    if (!auth) return apiError(403, 32, "AccessRules: Account does not have the right to perform the operation.");
    const [jid = "", ...rest] = Buffer.from(auth, "base64").toString("utf8").split(":");
    if (state.accounts.get(jid) !== rest.join(":")) {
      return apiError(401, 10, "You are not authorized to call this command.");
    }
    const args = ARGUMENTS[command];
    if (!args) return apiError(404, 40, "Endpoint not found.");
    if (!state.admins.has(jid)) {
      return apiError(403, 32, "AccessRules: Account does not have the right to perform the operation.");
    }
    let body: Record<string, string>;
    try {
      body = JSON.parse(Buffer.from(req.body, "latin1").toString("utf8"));
    } catch {
      return json(400, "400 Bad Request");
    }
    const unknown = Object.keys(body).filter((k) => !args.includes(k));
    if (unknown.length) return json(400, `Request have unknown arguments: [${unknown.join(",")}]`);
    const missing = args.find((a) => body[a] === undefined);
    if (missing) return json(400, `Request have missing argument: ${missing}`);
    const { user = "", host } = body;
    const known = host === HOST;
    switch (command) {
      case "register":
        if (!known) return apiError(500, 10001, "Unknown virtual host");
        if (state.users.has(user)) return apiError(409, 10090, `User ${user}@${host} already registered`);
        state.users.set(user, body.password ?? "");
        return json(200, `User ${user}@${host} successfully registered`);
      case "unregister":
        if (!known) return json(400, "Unknown virtual host");
        state.users.delete(user);
        return json(200, "");
      case "change_password":
        if (!known || !state.users.has(user)) return json(404, "unknown_user");
        state.users.set(user, body.newpass ?? "");
        return json(200, 0);
      default:
        return json(200, known && state.users.has(user) ? 0 : 1);
    }
  };
}

let fake: FakeHttp;
let users: Map<string, string>;
const made: { close(): Promise<void> }[] = [];
const connect = (extra: Partial<EjabberdHttpApiOptions> = {}) => {
  const admin = ejabberdHttpApiProvisioner({ baseUrl: fake.url, host: HOST, admin: ADMIN, ...extra });
  made.push(admin);
  return admin;
};

beforeEach(async () => {
  users = new Map();
  const accounts = new Map([
    [ADMIN.jid, ADMIN.password],
    ["worker@localhost", "worker-password"],
  ]);
  fake = await startFakeHttp(fakeEjabberd({ users, accounts, admins: new Set([ADMIN.jid]) }));
});
afterEach(async () => {
  await Promise.all(made.splice(0).map((a) => a.close()));
  await fake.close();
});

/** A rejection that holds no secret: not in its message, stack, fields, JSON, String or inspect, nor its causes'. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const err = await rejection(promise);
  expect(leaks(err, SECRETS)).toEqual([]);
  for (const text of [JSON.stringify(err), String(err), inspect(err, { depth: 12 })]) {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
  return err;
}

const sent = (i: number) => ({
  line: `${fake.requests[i]?.method} ${fake.requests[i]?.target}`,
  body: JSON.parse(fake.requests[i]?.body ?? "null") as unknown,
});

describe("requests as mod_http_api takes them", () => {
  it("createUser: POST /api/register {user, host, password} with Basic as the admin's JID; no name or email", async () => {
    await connect().createUser({ username: "juliet", password: PASSWORD, name: "Juliet", email: "j@example.com" });
    const [req] = fake.requests;
    expect(sent(0).line).toBe("POST /api/register");
    expect(req?.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers.accept).toBe("application/json");
    expect(JSON.parse(Buffer.from(req?.body ?? "", "latin1").toString("utf8"))).toEqual({
      user: "juliet",
      host: HOST,
      password: PASSWORD,
    });
    expect(users.get("juliet")).toBe(PASSWORD);
  });

  it("userExists: check_account's 0 is true, 1 false", async () => {
    users.set("juliet", "x");
    const admin = connect();
    expect(await admin.userExists("juliet")).toBe(true);
    expect(await admin.userExists("romeo")).toBe(false);
    expect(sent(0)).toEqual({ line: "POST /api/check_account", body: { user: "juliet", host: HOST } });
  });

  it("removeUser: check_account, then unregister; a missing user is ItemNotFoundError and nothing is unregistered", async () => {
    users.set("juliet", "x");
    const admin = connect();
    await admin.removeUser("juliet");
    expect([sent(0).line, sent(1).line]).toEqual(["POST /api/check_account", "POST /api/unregister"]);
    expect(sent(1).body).toEqual({ user: "juliet", host: HOST });
    expect(users.has("juliet")).toBe(false);
    const err = await failure(admin.removeUser("juliet"));
    expect(err).toBeInstanceOf(ItemNotFoundError);
    expect(err.message).toContain("no account juliet@localhost");
    expect(fake.requests.map((r) => r.target)).toEqual(["/api/check_account", "/api/unregister", "/api/check_account"]);
  });

  it("changePassword: change_password {user, host, newpass}; unknown_user is ItemNotFoundError", async () => {
    users.set("juliet", "old");
    const admin = connect();
    await admin.changePassword({ username: "juliet", password: PASSWORD });
    expect(sent(0).line).toBe("POST /api/change_password");
    expect(users.get("juliet")).toBe(PASSWORD);
    const err = await failure(admin.changePassword({ username: "romeo", password: PASSWORD }));
    expect(err).toBeInstanceOf(ItemNotFoundError);
    expect(err.cause).toBeInstanceOf(EjabberdApiError);
    expect(err.cause).toMatchObject({ status: 404, text: "unknown_user", code: undefined });
  });

  it("admin given as a username is that user on host; baseUrl may end in a slash", async () => {
    const admin = connect({ baseUrl: `${fake.url}/`, admin: { username: "boss", password: ADMIN.password } });
    await admin.createUser({ username: "juliet", password: PASSWORD });
    expect(fake.requests[0]?.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(fake.requests[0]?.target).toBe("/api/register");
  });

  it("disableUser and enableUser are FeatureNotImplementedError, unsent", async () => {
    const admin = connect();
    for (const call of [admin.disableUser("juliet"), admin.enableUser("juliet")]) {
      const err = await failure(call);
      expect(err).toBeInstanceOf(FeatureNotImplementedError);
      expect(err.message).toMatch(/ban_account/);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("a username that cannot be a localpart is JidMalformedError, unsent (register would make @localhost of '')", async () => {
    const admin = connect();
    for (const name of ["", "a b", "romeo@verona"]) {
      expect(await failure(admin.createUser({ username: name, password: PASSWORD }))).toBeInstanceOf(JidMalformedError);
      expect(await failure(admin.userExists(name))).toBeInstanceOf(JidMalformedError);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe("the documented replies become typed errors", () => {
  it("409 code 10090 → ConflictError with the EjabberdApiError as cause", async () => {
    users.set("juliet", "x");
    const err = await failure(connect().createUser({ username: "juliet", password: PASSWORD }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toContain("User juliet@localhost already registered");
    expect(err.cause).toMatchObject({ name: "EjabberdApiError", status: 409, code: 10090 });
  });

  it("401 code 10 → NotAuthorizedError about the admin credentials", async () => {
    const admin = connect({ admin: { jid: ADMIN.jid, password: "wrong-password" } });
    const err = await failure(admin.userExists("juliet"));
    expect(err).toBeInstanceOf(NotAuthorizedError);
    expect(err.message).toMatch(/did not accept the admin credentials.*boss@localhost/);
  });

  it("403 code 32 → ForbiddenError saying which api_permissions entry and acl to configure", async () => {
    const admin = connect({ admin: { jid: "worker@localhost", password: "worker-password" } });
    const err = await failure(admin.createUser({ username: "juliet", password: PASSWORD }));
    expect(err).toBeInstanceOf(ForbiddenError);
    const hint = (err as ForbiddenError).hint ?? "";
    for (const part of [
      "api_permissions",
      "from: [mod_http_api]",
      "who: {access: {allow: [{acl: admin}]}}",
      "what: [register, unregister, change_password, check_account]",
      "worker@localhost in the admin acl",
    ]) {
      expect(hint).toContain(part);
    }
    expect(err.cause).toMatchObject({ status: 403, code: 32 });
  });

  it("an unknown virtual host (register's 500 code 10001, unregister's 400) names the host option", async () => {
    const admin = connect({ host: "nowhere.example" });
    const err = await failure(admin.createUser({ username: "juliet", password: PASSWORD }));
    expect(err).toBeInstanceOf(EjabberdConfigurationError);
    expect(err).toMatchObject({ status: 500, code: 10001, text: "Unknown virtual host" });
    expect(err.message).toContain('the "host" option ("nowhere.example") is not one of ejabberd\'s virtual hosts');
    fake.next(json(400, "Unknown virtual host"));
    expect(await failure(admin.changePassword({ username: "juliet", password: PASSWORD }))).toBeInstanceOf(
      EjabberdConfigurationError,
    );
  });

  it.each([
    [
      "404 code 40 (no such command)",
      apiError(404, 40, "Endpoint not found."),
      EjabberdConfigurationError,
      /admin_extra/,
    ],
    [
      "400 code 40 (baseUrl ends in /api)",
      apiError(400, 40, "Missing command name."),
      EjabberdConfigurationError,
      /out \/api/,
    ],
    ["404 HTML (nothing at /api)", jettyError(404, "Not Found"), EjabberdConfigurationError, /\{\/api: mod_http_api\}/],
    ["a 200 HTML page", typed(200, "text/html", "<p>"), EjabberdConfigurationError, /HTML/],
    [
      "500 Malformed username",
      apiError(500, 10001, "Can't register …: Malformed username"),
      JidMalformedError,
      /Malformed/,
    ],
    ["500 unacceptable password", apiError(500, 10001, UNACCEPTABLE), NotAcceptableError, /Unicode 3\.2/],
    ["400 invalid_password (change_password's)", json(400, "invalid_password"), NotAcceptableError, /Unicode 3\.2/],
    ["400 missing argument", json(400, "Request have missing argument: password"), BadRequestError, /missing argument/],
    ["500 code 10001, another reason", apiError(500, 10001, "Can't register: timeout"), InternalServerError, /timeout/],
    ["503", { status: 503 }, ServiceUnavailableError, /HTTP 503/],
    ["418 text", typed(418, "text/plain", "teapot"), UnexpectedResponseError, /teapot/],
    ["200, not JSON", typed(200, "text/plain", "ok"), UnexpectedResponseError, /HTTP 200/],
    ["200, JSON that does not parse", typed(200, "application/json", "{"), UnexpectedResponseError, /HTTP 200/],
    ["200, a number where register says a string", json(200, 0), UnexpectedResponseError, /not what register answers/],
  ] as const)("%s", async (_, reply, type, pattern) => {
    fake.next(reply);
    const err = await failure(connect().createUser({ username: "juliet", password: PASSWORD }));
    expect(err).toBeInstanceOf(type);
    expect(err.message).toMatch(pattern);
  });

  it("check_account answering neither 0 nor 1 is UnexpectedResponseError with the status", async () => {
    fake.next(json(200, 2));
    const err = await failure(connect().userExists("juliet"));
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err).toMatchObject({ status: 200, body: "2" });
  });

  it("secrets ejabberd echoes are scrubbed from every error, and the Authorization header never shows", async () => {
    const echo = `bad ${PASSWORD} ${ADMIN.password} ${BASIC} ${JSON.stringify(PASSWORD)}`;
    const admin = connect();
    for (const reply of [
      apiError(500, 10001, echo),
      apiError(409, 10090, echo),
      json(400, echo),
      typed(418, "application/json", echo),
    ]) {
      fake.next(reply);
      const err = await failure(admin.createUser({ username: "juliet", password: PASSWORD }));
      expect(err.message).toContain("[redacted]");
    }
  });
});

describe("options are checked before anything is sent", () => {
  const base = () => ({ baseUrl: fake.url, host: HOST, admin: ADMIN });

  it.each([
    ["baseUrl", { baseUrl: undefined }],
    ["host", { host: "" }],
    ["admin.jid", { admin: { jid: "", password: ADMIN.password } }],
    ["admin.password", { admin: { jid: ADMIN.jid, password: "" } }],
    ["admin.username", { admin: { username: "", password: ADMIN.password } }],
    ["admin.jid", { admin: { jid: "localhost", password: ADMIN.password } }],
    ["admin.jid", { admin: { jid: "boss@", password: ADMIN.password } }],
    ["admin.username", { admin: { username: "boss@localhost", password: ADMIN.password } }],
    ["baseUrl", { baseUrl: "not a url" }],
    ["baseUrl", { baseUrl: "ftp://127.0.0.1" }],
    ["baseUrl", { baseUrl: "http://127.0.0.1/?x=1" }],
    ["baseUrl", { baseUrl: `http://boss:${encodeURIComponent(ADMIN.password)}@127.0.0.1` }],
  ] as const)("%s: %j is an InvalidOptionError", (option, change) => {
    const options = { ...base(), ...change } as EjabberdHttpApiOptions;
    let err: unknown;
    try {
      ejabberdHttpApiProvisioner(options);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err).toMatchObject({ operation: "ejabberdHttpApiProvisioner", option });
    expect(leaks(err, SECRETS)).toEqual([]);
  });

  it("a timeout that is not a positive number is a RangeError", () => {
    expect(() => ejabberdHttpApiProvisioner({ ...base(), timeout: 0 })).toThrow(RangeError);
  });
});

describe("transport, through the shared httpCall", () => {
  it("a reply over 1 MiB → LimitExceededError", async () => {
    fake.next(typed(200, "application/json", "x".repeat(MAX_REPLY_BYTES + 1)));
    expect(await failure(connect().userExists("juliet"))).toBeInstanceOf(LimitExceededError);
  });

  it("a server that never answers → TimeoutError naming the command", async () => {
    fake.next("hang");
    const err = await failure(connect({ timeout: 150 }).createUser({ username: "juliet", password: PASSWORD }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ operation: 'ejabberd HTTP API register "juliet"', timeout: 150 });
  });

  it("a server that is down → ConnectionError", async () => {
    await fake.close();
    const err = await failure(connect().userExists("juliet"));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/ECONNREFUSED/);
    fake = await startFakeHttp(() => ({ status: 500 }));
  });

  it("close() aborts a call in flight with AbortError; the provisioner stays usable", async () => {
    let arrived!: () => void;
    const first = new Promise<void>((resolve) => (arrived = resolve));
    let count = 0;
    // The first request is never answered; later ones get check_account's "missing".
    const server = createServer((_req, res) => {
      if (++count === 1) return arrived();
      res.writeHead(200, { "content-type": "application/json" }).end("1");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const admin = connect({ baseUrl: `http://127.0.0.1:${port}` });
      const pending = admin.createUser({ username: "juliet", password: PASSWORD });
      await first;
      await admin.close();
      expect(await failure(pending)).toBeInstanceOf(AbortError);
      expect(await admin.userExists("juliet")).toBe(false);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
