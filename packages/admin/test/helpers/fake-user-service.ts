// A fake Openfire User Service plugin, after UserServiceLegacy.java (docs/provisioning.md#22-requests-and-replies).

import {
  type CannedReply,
  decodeForm,
  type FakeHttp,
  jettyError,
  type RecordedRequest,
  startFakeHttp,
} from "./fake-http.js";
import {
  addUser,
  bareJid,
  createOpenfire,
  escapeNode,
  type FakeOpenfire,
  type FakeUser,
  nodeprep,
  removeUser,
} from "./fake-openfire.js";

export interface FakeUserServiceOptions {
  secret: string;
  path?: string;
  sharedGroups?: readonly string[];
}

export interface FakeUserService extends FakeHttp {
  openfire: FakeOpenfire;
  /** Mutable like the admin console. */
  settings: { secret: string; enabled: boolean; allowedIps: string[]; wildcardsInExcludes: boolean };
  /** Requests that broke the documented contract (the server may still have answered them). */
  violations: string[];
  /** Parameters of each request as the servlet saw them. */
  params: Record<string, string>[];
}

/** The readme's parameters, and which of them each type uses. */
const DOCUMENTED: Record<string, readonly string[]> = {
  add: ["username", "password", "name", "email", "groups"],
  delete: ["username"],
  update: ["username", "password", "name", "email", "groups"],
  enable: ["username"],
  disable: ["username"],
  add_roster: ["username", "item_jid", "name", "subscription", "groups"],
  update_roster: ["username", "item_jid", "name", "subscription", "groups"],
  delete_roster: ["username", "item_jid"],
};

const xmlReply = (text: string): CannedReply => ({
  status: 200,
  headers: { "content-type": "text/xml" },
  body: `${text}\n`,
});
const ok = () => xmlReply("<result>ok</result>");
const error = (name: string) => xmlReply(`<error>${name}</error>`);

export async function startFakeUserService(options: FakeUserServiceOptions): Promise<FakeUserService> {
  const path = options.path ?? "/plugins/userService/userservice";
  const openfire = createOpenfire(options.sharedGroups);
  const settings = { secret: options.secret, enabled: true, allowedIps: [] as string[], wildcardsInExcludes: true };
  const violations: string[] = [];
  const params: Record<string, string>[] = [];

  const handle = (req: RecordedRequest): CannedReply => {
    const [pathname, query = ""] = req.target.split(/\?(.*)/s, 2) as [string, string?];
    if (!settings.wildcardsInExcludes) {
      return { status: 302, headers: { location: `/login.jsp?url=${encodeURIComponent(req.target)}` } };
    }
    if (pathname !== path) return jettyError(404, "Not Found");
    if (req.method !== "GET" && req.method !== "POST") return jettyError(405, "Method Not Allowed");
    // Servlet getParameter: the query string, then a form body; the first value of a name wins.
    const pairs = decodeForm(query);
    const contentType = String(req.headers["content-type"] ?? "");
    const form = req.method === "POST" && /^application\/x-www-form-urlencoded\b/i.test(contentType);
    const bodyPairs = form ? decodeForm(req.body) : [];
    if (!pairs || !bodyPairs) return jettyError(400, "Bad Request");
    if (form && !/charset=utf-8/i.test(contentType)) violations.push(`form without charset=UTF-8: ${contentType}`);
    if (req.method === "POST" && query) violations.push("POST with a query string: the secret belongs in the body");
    if (req.method === "POST" && !form) violations.push(`POST body of type ${contentType || "none"} is not read`);
    const p: Record<string, string> = {};
    for (const [name, value] of [...pairs, ...bodyPairs]) {
      if (name in p) violations.push(`parameter ${name} sent twice`);
      else p[name] = value;
    }
    params.push(p);
    const documented = DOCUMENTED[p.type ?? ""];
    if (!documented) violations.push(`type ${JSON.stringify(p.type)} is not documented`);
    for (const name of Object.keys(p)) {
      if (name !== "type" && name !== "secret" && !documented?.includes(name)) {
        violations.push(`parameter ${name} is not documented for type ${p.type}`);
      }
    }
    return serve(p, req);
  };

  const serve = (p: Record<string, string>, req: RecordedRequest): CannedReply => {
    if (settings.allowedIps.length > 0) {
      const h = req.headers;
      const ip = h["x-forwarded-for"] ?? h.x_forwarded_for ?? h["x-forward-for"] ?? req.remoteAddress;
      if (!settings.allowedIps.includes(String(ip))) return error("RequestNotAuthorised");
    }
    if (!settings.enabled) return error("UserServiceDisabled");
    if (!p.secret || p.secret !== settings.secret) return error("RequestNotAuthorised");
    const { type, username: rawUsername, password, name, email, groups, item_jid: itemJid, subscription } = p;
    if (rawUsername === undefined && type !== "grouplist") return error("IllegalArgumentException");
    if (type === undefined) return jettyError(500, "Server Error"); // type.equals(…) before the try: an NPE
    const roster = type === "add_roster" || type === "update_roster" || type === "delete_roster";
    const subs = [undefined, "-1", "0", "1", "2", "3"];
    if (roster && (itemJid === undefined || !subs.includes(subscription))) return error("IllegalArgumentException");
    try {
      const username = nodeprep(escapeNode(rawUsername!.trim().toLowerCase()));
      const user = () => {
        const found = openfire.users.get(username);
        if (!found) throw new Named("UserNotFoundException");
        return found;
      };
      const groupNames = groups === undefined ? undefined : groups.split(",").filter((g) => g !== "");
      switch (type) {
        case "add":
          if (username === "" || !password) throw new Named("IllegalArgumentException");
          if (openfire.users.has(username)) throw new Named("UserAlreadyExistsException");
          addUser(openfire, { username, password, name, email });
          if (groupNames) setGroups(openfire, username, groupNames, false);
          return ok();
        case "delete":
          user();
          removeUser(openfire, username);
          return ok();
        case "enable":
        case "disable":
          user().locked = type === "disable";
          return ok();
        case "update": {
          const u = user();
          if (password !== undefined) u.password = password;
          if (name !== undefined) u.name = name;
          if (email !== undefined) u.email = email;
          if (groupNames) setGroups(openfire, username, groupNames, true);
          return ok();
        }
        case "add_roster":
        case "update_roster":
        case "delete_roster":
          rosterChange(openfire, user(), type, itemJid!, name, Number(subscription ?? "0"), groupNames ?? []);
          return ok();
        default:
          return { status: 200 }; // "// TODO Do something": no body at all
      }
    } catch (e) {
      if (e instanceof Named) return error(e.message);
      // catch (Exception e) { replyError(e.toString()) }
      return error(`gnu.inet.encoding.${(e as Error).name}: ${(e as Error).message}`);
    }
  };

  const http = await startFakeHttp(handle);
  return Object.assign(http, { openfire, settings, violations, params });
}

/** A checked exception the servlet names in `<error/>`. */
class Named extends Error {}

function rosterChange(
  of: FakeOpenfire,
  user: FakeUser,
  type: string,
  itemJid: string,
  nickname: string | undefined,
  subscription: number,
  groups: string[],
): void {
  const jid = bareJid(itemJid);
  if (jid === undefined) throw new Named("IllegalArgumentException"); // new JID(itemJID)
  const item = user.roster.get(jid);
  if (type === "delete_roster") {
    if (item?.shared) throw new Named("SharedGroupException");
    user.roster.delete(jid); // "No error returns if nothing to delete."
    return;
  }
  if (type === "add_roster" && item) throw new Named("UserAlreadyExistsException");
  if (type === "update_roster" && !item) throw new Named("UserNotFoundException");
  if (groups.some((g) => of.sharedGroups.has(g))) throw new Named("SharedGroupException");
  // update_roster replaces nickname and groups even when they are left out.
  user.roster.set(jid, { jid, nickname, subscription, groups, shared: false });
}

function setGroups(of: FakeOpenfire, username: string, names: string[], replace: boolean): void {
  for (const name of names) if (!of.groups.has(name)) of.groups.set(name, new Set());
  for (const [name, members] of of.groups) {
    if (names.includes(name)) members.add(username);
    else if (replace) members.delete(username);
  }
}
