// The Openfire state both fake plugins act on: UserManager, RosterManager, GroupManager, LockOutManager in memory.

export interface FakeRosterItem {
  jid: string;
  nickname: string | undefined;
  subscription: number;
  groups: string[];
  /** Pushed by a shared group: cannot be removed through the plugins (SharedGroupException). */
  shared: boolean;
}

export interface FakeUser {
  username: string;
  password: string;
  name: string | undefined;
  email: string | undefined;
  properties: Map<string, string>;
  locked: boolean;
  roster: Map<string, FakeRosterItem>;
}

export interface FakeOpenfire {
  users: Map<string, FakeUser>;
  /** Group name → member usernames. */
  groups: Map<string, Set<string>>;
  /** Groups shared into rosters: items may not be put in them or taken out of them. */
  sharedGroups: Set<string>;
}

export function createOpenfire(sharedGroups: readonly string[] = []): FakeOpenfire {
  return { users: new Map(), groups: new Map(), sharedGroups: new Set(sharedGroups) };
}

export function addUser(of: FakeOpenfire, user: Partial<FakeUser> & { username: string; password: string }): FakeUser {
  const created: FakeUser = {
    name: undefined,
    email: undefined,
    properties: new Map(),
    locked: false,
    roster: new Map(),
    ...user,
    username: nodeprep(user.username),
  };
  of.users.set(created.username, created);
  return created;
}

export class StringprepError extends Error {
  override name = "StringprepException";
}

/** Stringprep nodeprep, roughly: NFKC, lower case, and the prohibited code points refused (libidn's message). */
export function nodeprep(node: string): string {
  const out = node.normalize("NFKC").toLowerCase();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what nodeprep prohibits
  if (/[\u0000-\u001f\u007f"&'/:<>@\s]/.test(out)) throw new StringprepError("Contains prohibited code points.");
  return out;
}

/** XEP-0106 as JID.escapeNode does it. */
export function escapeNode(node: string): string {
  const table: Record<string, string> = {
    " ": "\\20",
    '"': "\\22",
    "&": "\\26",
    "'": "\\27",
    "/": "\\2f",
    ":": "\\3a",
    "<": "\\3c",
    ">": "\\3e",
    "@": "\\40",
    "\\": "\\5c",
  };
  return [...node].map((c) => table[c] ?? c).join("");
}

/** `new JID(s)`: the bare JID in canonical form, or undefined where Tinder's JID would throw. */
export function bareJid(jid: string): string | undefined {
  const match = /^(?:([^@/\s"&'<>:]+)@)?([^@/\s]+)(?:\/.*)?$/u.exec(jid);
  if (!match) return undefined;
  return `${match[1] ? `${match[1].toLowerCase()}@` : ""}${match[2]!.toLowerCase()}`;
}

export function removeUser(of: FakeOpenfire, username: string): void {
  of.users.delete(username);
  for (const members of of.groups.values()) members.delete(username);
}
