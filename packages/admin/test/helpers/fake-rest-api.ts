// A fake Openfire REST API plugin: AuthFilter, UserService, UserLockoutService, UserRosterService
// (docs/provisioning.md#13-our-fake).

import { type CannedReply, type FakeHttp, jettyError, type RecordedRequest, startFakeHttp } from "./fake-http.js";
import {
  addUser,
  bareJid,
  createOpenfire,
  type FakeOpenfire,
  type FakeUser,
  nodeprep,
  removeUser,
  StringprepError,
} from "./fake-openfire.js";

export interface FakeRestApiOptions {
  secret?: string;
  /** Basic mode (`plugin.restapi.httpAuth=basic`): these admins' credentials. */
  admins?: Record<string, string>;
  sharedGroups?: readonly string[];
}

export interface FakeRestApi extends FakeHttp {
  openfire: FakeOpenfire;
  settings: {
    secret: string | undefined;
    admins: Record<string, string> | undefined;
    enabled: boolean;
    allowedIps: string[];
    wildcardsInExcludes: boolean;
  };
  violations: string[];
  /** The JSON bodies received, parsed. */
  bodies: unknown[];
}

const PREFIX = "/plugins/restapi/v1";
const XML = "application/xml";
const JSON_TYPE = "application/json";

/** ServiceException → RESTExceptionMapper. */
class ServiceError extends Error {
  readonly status: number;
  readonly resource: string;
  readonly exception: string;
  constructor(status: number, message: string, resource: string, exception: string) {
    super(message);
    this.status = status;
    this.resource = resource;
    this.exception = exception;
  }
}

/** A runtime exception nothing maps: Jersey's 500. */
class Unmapped extends Error {}

const USER_FIELDS = ["username", "name", "email", "password", "properties"];
const ROSTER_FIELDS = ["jid", "nickname", "subscriptionType", "groups"];

export async function startFakeRestApi(options: FakeRestApiOptions): Promise<FakeRestApi> {
  const openfire = createOpenfire(options.sharedGroups);
  const settings = {
    secret: options.secret,
    admins: options.admins,
    enabled: true,
    allowedIps: [] as string[],
    wildcardsInExcludes: true,
  };
  const violations: string[] = [];
  const bodies: unknown[] = [];

  const handle = (req: RecordedRequest): CannedReply => {
    if (!settings.wildcardsInExcludes) {
      return { status: 302, headers: { location: `/login.jsp?url=${encodeURIComponent(req.target)}` } };
    }
    const [pathname = "", query] = req.target.split("?", 2);
    if (!pathname.startsWith(`${PREFIX}/`)) return jettyError(404, "Not Found");
    if (query) violations.push(`unexpected query string on ${req.method} ${pathname}`);
    // AuthFilter
    if (!settings.enabled) return jettyError(403, "Forbidden");
    if (settings.allowedIps.length > 0) {
      const h = req.headers;
      const ip = h["x-forwarded-for"] ?? h.x_forwarded_for ?? h["x-forward-for"] ?? req.remoteAddress;
      if (!settings.allowedIps.includes(String(ip))) return jettyError(401, "Unauthorized");
    }
    const auth = req.headers.authorization;
    if (auth === undefined || !authorised(auth)) return jettyError(401, "Unauthorized");
    let segments: string[];
    try {
      segments = pathname
        .slice(PREFIX.length + 1)
        .split("/")
        .map(decodeURIComponent);
    } catch {
      return jettyError(400, "Bad Request");
    }
    try {
      return route(req, segments) ?? jettyError(404, "Not Found");
    } catch (e) {
      if (e instanceof ServiceError) return entity(req, e);
      if (e instanceof Unmapped) return jettyError(500, "Server Error");
      throw e;
    }
  };

  const authorised = (auth: string): boolean => {
    if (settings.admins) {
      const match = /^Basic (.+)$/i.exec(auth);
      const [user, ...rest] = Buffer.from(match?.[1] ?? "", "base64")
        .toString("utf8")
        .split(":");
      return match !== null && user !== undefined && settings.admins[user] === rest.join(":") && rest.length > 0;
    }
    return auth === settings.secret;
  };

  /** Jersey's resource matching; undefined is "no resource here". */
  const route = (req: RecordedRequest, s: string[]): CannedReply | undefined => {
    const m = req.method;
    const allow = (...methods: string[]) => {
      if (!methods.includes(m)) throw new MethodNotAllowed();
    };
    try {
      if (s[0] === "users" && s.length === 1) {
        allow("POST", "GET");
        if (m === "POST") return createUser(body(req, USER_FIELDS));
        return undefined; // listing is not modelled
      }
      if (s[0] === "users" && s.length === 2) {
        allow("GET", "PUT", "DELETE");
        if (m === "GET") return getUser(req, s[1]!);
        if (m === "PUT") return updateUser(s[1]!, body(req, USER_FIELDS));
        noBody(req);
        checkUser(s[1]!);
        removeUser(openfire, nodeprep(s[1]!));
        return { status: 200 };
      }
      if (s[0] === "lockouts" && s.length === 2) {
        allow("POST", "DELETE");
        noBody(req);
        checkUser(s[1]!).locked = m === "POST";
        return { status: m === "POST" ? 201 : 200 };
      }
      if (s[0] === "users" && s[2] === "roster" && s.length === 3) {
        allow("POST", "GET");
        if (m === "GET") return undefined; // not modelled
        return addRosterItem(s[1]!, body(req, ROSTER_FIELDS));
      }
      if (s[0] === "users" && s[2] === "roster" && s.length === 4) {
        allow("PUT", "DELETE");
        if (m === "PUT") return updateRosterItem(s[1]!, s[3]!, body(req, ROSTER_FIELDS));
        noBody(req);
        return deleteRosterItem(s[1]!, s[3]!);
      }
    } catch (e) {
      if (e instanceof MethodNotAllowed) return jettyError(405, "Method Not Allowed");
      if (e instanceof BadBody) return e.reply;
      throw e;
    }
    return undefined;
  };

  const body = (req: RecordedRequest, fields: readonly string[]): Record<string, unknown> => {
    const type = String(req.headers["content-type"] ?? "");
    if (!/^application\/json\b/i.test(type)) {
      violations.push(`${req.method} body sent as ${type || "no content type"}`);
      throw new BadBody(jettyError(415, "Unsupported Media Type"));
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(req.body, "latin1").toString("utf8"));
    } catch {
      throw new BadBody({ status: 400, headers: { "content-type": "text/plain" }, body: "Unable to parse JSON" });
    }
    bodies.push(json);
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new BadBody({ status: 400, headers: { "content-type": "text/plain" }, body: "Expected an object" });
    }
    for (const key of Object.keys(json)) {
      if (!fields.includes(key)) {
        violations.push(`unknown field ${key}`);
        throw new BadBody({
          status: 400,
          headers: { "content-type": "text/plain" },
          body: `Unrecognized field "${key}"`,
        });
      }
    }
    return json as Record<string, unknown>;
  };
  const noBody = (req: RecordedRequest) => {
    if (req.body !== "") violations.push(`${req.method} with a body`);
  };
  const str = (v: unknown, field: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") throw new BadBody({ status: 400, body: `${field} is not a string` });
    return v;
  };

  /** getAndCheckUser: createJID(username) nodepreps; a missing user is a 404 entity. */
  const checkUser = (raw: string, message = "Could not get user"): FakeUser => {
    let username: string;
    try {
      username = nodeprep(raw);
    } catch {
      throw new ServiceError(404, message, raw, "UserNotFoundException");
    }
    const user = openfire.users.get(username);
    if (!user) throw new ServiceError(404, message, raw, "UserNotFoundException");
    return user;
  };

  const createUser = (b: Record<string, unknown>): CannedReply => {
    const username = str(b.username, "username");
    if (username === undefined) throw new Unmapped(); // getUsername().isEmpty() on null
    if (username === "") throw new ServiceError(400, "Could not create new user", "users", "IllegalArgumentException");
    const password = str(b.password, "password");
    if (password === undefined) {
      throw new ServiceError(400, "Could not create new user, because password is null", username, "PasswordIsNull");
    }
    let node: string;
    try {
      node = nodeprep(username);
    } catch (e) {
      if (e instanceof StringprepError) throw new Unmapped(); // UserManager: IllegalArgumentException, unmapped
      throw e;
    }
    if (openfire.users.has(node)) {
      throw new ServiceError(409, "Could not create new user", username, "UserAlreadyExistsException");
    }
    const user = addUser(openfire, { username, password, name: str(b.name, "name"), email: str(b.email, "email") });
    setProperties(user, b.properties);
    return { status: 201 };
  };

  const getUser = (req: RecordedRequest, raw: string): CannedReply => {
    const user = checkUser(raw);
    const properties = [...user.properties].map(([key, value]) => ({ key, value }));
    if (mediaTypeFor(req) === JSON_TYPE) {
      const { username, name, email } = user;
      return json(200, { username, name, email, properties }); // NON_NULL: undefined fields vanish
    }
    const el = (n: string, v: string | undefined) => (v === undefined ? "" : `<${n}>${escapeXml(v)}</${n}>`);
    const props = properties.map((p) => `<property key="${escapeXml(p.key)}" value="${escapeXml(p.value)}"/>`);
    const xml = `<user>${el("username", user.username)}${el("name", user.name)}${el("email", user.email)}<properties>${props.join("")}</properties></user>`;
    return {
      status: 200,
      headers: { "content-type": XML },
      body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${xml}`,
    };
  };

  const updateUser = (raw: string, b: Record<string, unknown>): CannedReply => {
    const newName = str(b.username, "username");
    if (newName !== undefined && newName !== raw) {
      // JustMarriedController.changeName
      const user = checkUser(raw);
      if (openfire.users.has(nodeprep(newName))) {
        throw new ServiceError(409, "Could not rename user", newName, "UserAlreadyExistsException");
      }
      removeUser(openfire, user.username);
      openfire.users.set(nodeprep(newName), { ...user, username: nodeprep(newName) });
      return { status: 200 };
    }
    const user = checkUser(raw);
    const password = str(b.password, "password");
    const name = str(b.name, "name");
    const email = str(b.email, "email");
    if (password !== undefined) user.password = password;
    if (name !== undefined) user.name = name;
    if (email !== undefined) user.email = email;
    setProperties(user, b.properties); // addProperties: clear(), then the body's
    return { status: 200 };
  };

  const rosterItem = (b: Record<string, unknown>) => {
    const sub = b.subscriptionType ?? 0;
    const groups = b.groups;
    if (typeof sub !== "number" || !Number.isInteger(sub))
      throw new BadBody({ status: 400, body: "bad subscriptionType" });
    if (groups !== undefined && (!Array.isArray(groups) || groups.some((g) => typeof g !== "string"))) {
      throw new BadBody({ status: 400, body: "bad groups" });
    }
    return {
      jid: str(b.jid, "jid"),
      nickname: str(b.nickname, "nickname"),
      sub,
      groups: groups as string[] | undefined,
    };
  };
  const checkSub = (sub: number, message: string, resource: string) => {
    // UserUtils.checkSubType throws UserAlreadyExistsException.
    if (sub < -1 || sub > 3) throw new ServiceError(409, message, resource, "UserAlreadyExistsException");
  };
  const checkShared = (groups: readonly string[] | undefined, message: string, resource: string) => {
    if (groups?.some((g) => openfire.sharedGroups.has(g))) {
      throw new ServiceError(400, message, resource, "SharedGroupException");
    }
  };

  const addRosterItem = (rawUser: string, b: Record<string, unknown>): CannedReply => {
    const user = checkUser(rawUser, "Could not get user roster");
    const item = rosterItem(b);
    if (item.jid === undefined) throw new ServiceError(400, "JID is null", "JID", "IllegalArgumentException");
    const jid = bareJid(item.jid);
    if (jid === undefined) throw new Unmapped(); // new JID(…) throws IllegalArgumentException
    const message = "Could not create roster item";
    if (user.roster.has(jid)) throw new ServiceError(409, message, "", "UserAlreadyExistsException");
    checkShared(item.groups, message, "");
    checkSub(item.sub, message, "");
    user.roster.set(jid, {
      jid,
      nickname: item.nickname,
      subscription: item.sub,
      groups: item.groups ?? [],
      shared: false,
    });
    return { status: 201 };
  };

  const updateRosterItem = (rawUser: string, rawJid: string, b: Record<string, unknown>): CannedReply => {
    const user = checkUser(rawUser);
    const jid = bareJid(rawJid);
    if (jid === undefined) throw new Unmapped();
    const message = "Could not update the roster";
    const existing = user.roster.get(jid);
    if (!existing) throw new ServiceError(404, message, rawJid, "UserNotFoundException");
    const item = rosterItem(b);
    checkShared(item.groups, message, rawJid);
    checkSub(item.sub, message, rawJid);
    if (item.nickname !== undefined) existing.nickname = item.nickname;
    if (item.groups !== undefined) existing.groups = item.groups;
    existing.subscription = item.sub;
    return { status: 200 };
  };

  const deleteRosterItem = (rawUser: string, rawJid: string): CannedReply => {
    const user = checkUser(rawUser);
    const jid = bareJid(rawJid);
    if (jid === undefined) throw new Unmapped();
    const item = user.roster.get(jid);
    if (item?.shared) throw new ServiceError(400, "Could not delete the roster item", rawJid, "SharedGroupException");
    if (!item) throw new ServiceError(404, "Roster Item could not deleted", jid, "RosterItemNotFound");
    user.roster.delete(jid);
    return { status: 200 };
  };

  const http = await startFakeHttp(handle);
  return Object.assign(http, { openfire, settings, violations, bodies });
}

class MethodNotAllowed extends Error {}
class BadBody extends Error {
  readonly reply: CannedReply;
  constructor(reply: CannedReply) {
    super("bad body");
    this.reply = reply;
  }
}

function setProperties(user: FakeUser, properties: unknown): void {
  user.properties.clear();
  if (!Array.isArray(properties)) return;
  for (const p of properties) {
    if (typeof p?.key === "string" && typeof p?.value === "string") user.properties.set(p.key, p.value);
  }
}

/** RESTExceptionMapper: one non-wildcard Accept wins, else the request's Content-Type, else XML. */
function mediaTypeFor(req: RecordedRequest): string {
  const accepts = String(req.headers.accept ?? "")
    .split(",")
    .map((a) => a.split(";")[0]!.trim())
    .filter((a) => a !== "");
  if (accepts.length === 1 && !accepts[0]!.startsWith("*/")) return accepts[0]!;
  const type = req.headers["content-type"];
  return type ? type.split(";")[0]!.trim() : XML;
}

function entity(req: RecordedRequest, e: ServiceError): CannedReply {
  const type = mediaTypeFor(req);
  if (type === JSON_TYPE) return json(e.status, { resource: e.resource, message: e.message, exception: e.exception });
  const xml = `<error><resource>${escapeXml(e.resource)}</resource><message>${escapeXml(e.message)}</message><exception>${e.exception}</exception></error>`;
  return {
    status: e.status,
    headers: { "content-type": type },
    body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${xml}`,
  };
}

const json = (status: number, value: unknown): CannedReply => ({
  status,
  headers: { "content-type": JSON_TYPE },
  body: JSON.stringify(value),
});

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
