// The bridge's users: one UserSession each, created by the first login and shared by the later ones, each of
// which must log in to the XMPP server with its own password too (the bridge keeps none to compare with).
import { randomBytes } from "node:crypto";
import { BridgeError } from "./bridge-error.js";
import type { ResolvedBridgeOptions } from "./bridge-options.js";
import type { TokenTable } from "./token-table.js";
import { UserSession } from "./user-session.js";
import { logIn } from "./xmpp-login.js";

export class Sessions {
  readonly #users = new Map<string, UserSession>();
  readonly #opening = new Map<string, Promise<UserSession>>();
  readonly #options: ResolvedBridgeOptions;
  readonly #tokens: TokenTable;
  #closed = false;

  constructor(options: ResolvedBridgeOptions, tokens: TokenTable) {
    this.#options = options;
    this.#tokens = tokens;
  }

  /** Log `username` in with `password`; its session, new or shared. Rejects with a 401 for a wrong password. */
  async login(username: string, password: string): Promise<UserSession> {
    if (this.#closed) throw new BridgeError("shutting_down", "The bridge is shutting down");
    const existing = this.#users.get(username) ?? (await this.#opening.get(username)?.catch(() => undefined));
    if (existing && !existing.ended) {
      // The password must be right for this login too: check it with a login of its own, then leave.
      const check = await logIn(
        this.#options.xmpp,
        username,
        password,
        `bridge-check-${randomBytes(3).toString("hex")}`,
      );
      await check.stop().catch(() => {});
      return existing;
    }
    if (this.#users.size + this.#opening.size >= this.#options.maxSessions) {
      throw new BridgeError("too_many", "The bridge has as many sessions as it serves: try again later");
    }
    const opening = this.#open(username, password);
    this.#opening.set(username, opening);
    try {
      return await opening;
    } finally {
      // Another login of this user may have started an opening since (after this one's wait): leave that one be.
      if (this.#opening.get(username) === opening) this.#opening.delete(username);
    }
  }

  get(username: string): UserSession | undefined {
    const session = this.#users.get(username);
    return session?.ended ? undefined : session;
  }

  get size(): number {
    return this.#users.size;
  }

  /** End every session (the bridge closes). */
  async endAll(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#opening.values()]);
    await Promise.all([...this.#users.values()].map((s) => s.end("shutdown")));
  }

  async #open(username: string, password: string): Promise<UserSession> {
    const resource = `web-${randomBytes(4).toString("hex")}`;
    const xmpp = await logIn(this.#options.xmpp, username, password, resource);
    // Logins that waited on the same failed opening each open one: the first to get here wins, the rest share it.
    // And none opens after endAll, which would leave a session nobody ends.
    const other = this.get(username);
    if (other || this.#closed) {
      await xmpp.stop().catch(() => {});
      if (other) return other;
      throw new BridgeError("shutting_down", "The bridge is shutting down");
    }
    const session = new UserSession(username, xmpp, this.#options.graceMs, (why) => {
      if (this.#users.get(username) === session) this.#users.delete(username);
      this.#tokens.revokeUser(username);
      this.#options.log({ type: "session_ended", username, detail: why });
    });
    this.#users.set(username, session);
    await session.begin(this.#options.xmpp.timeout ?? 20_000);
    this.#options.log({ type: "session_started", username });
    return session;
  }
}
