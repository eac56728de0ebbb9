// Start the embedded server: bind (loopback by default), accept up to maxConnections, close everything.
import net from "node:net";
import { StreamError } from "@reguser/errors";
import { type Captchas, captchasOf, createCaptchaBook } from "./captchas.js";
import { Connection } from "./connection.js";
import type { ServerDeps } from "./context.js";
import { iqRoutes, streamSteps } from "./handlers/index.js";
import { createInviteBook, type Invites, invitesOf } from "./invites.js";
import type { ClientLink } from "./links/client-link.js";
import { TcpLink } from "./links/tcp-link.js";
import { listenForWebSockets } from "./links/websocket-listener.js";
import { resolveOptions, type ServerOptions } from "./options.js";
import { createRouter } from "./router.js";
import { createStanzaRouter } from "./routing/stanza-router.js";
import { type OnlineSessions, onlineSessions } from "./sessions/online-sessions.js";
import { createSessionRegistry } from "./sessions/registry.js";
import type { AccountStore } from "./store/account-store.js";
import { JsonFileStore } from "./store/json-file-store.js";
import { MemoryStore } from "./store/memory-store.js";
import { type Users, usersOf } from "./users.js";

/** A running embedded server: where it listens, its accounts, invites and CAPTCHAs, and how to stop it. */
export interface EmbeddedServer {
  /** The port bound (the free one picked for `port: 0`). */
  readonly port: number;
  readonly host: string;
  readonly domain: string;
  readonly users: Users;
  /** `ws://host:port/xmpp-websocket` when `webSocketPort` was given, else undefined. */
  readonly webSocketUrl: string | undefined;
  /** The invite tokens: `create` makes one (throws unless `invites` was given), `has` and `size` see the unspent. */
  readonly invites: Invites;
  /** The live CAPTCHA challenges: `answerFor(challenge)` and `last()` are what a test's solver reads off the image. */
  readonly captchas: Captchas;
  /**
   * The bound resources: `online(username)` lists a user's full JIDs, `send(to, stanza)` pushes a stanza to a full
   * or bare JID as the server (a headline, say) by the same routing rules as a client's stanza.
   */
  readonly sessions: OnlineSessions;
  /** Ends every connection (system-shutdown) and stops listening; no handle or timer is left behind. */
  close(): Promise<void>;
}

/** How long close() lets clients answer the stream end before it drops them. */
const CLOSE_GRACE_MS = 200;

/**
 * Start the embedded server (on 127.0.0.1 and a free port by default: read `server.port`) with jabberd 1.4's behaviour
 * as the defaults; resolves once it listens. `close()` ends every connection and stops it. For tests and examples, not
 * production.
 */
export async function startServer(options: ServerOptions = {}): Promise<EmbeddedServer> {
  const resolved = resolveOptions(options);
  const store: AccountStore =
    options.store ?? (options.storeFile ? new JsonFileStore(options.storeFile) : new MemoryStore());
  const chain = { sequences: resolved.zeroKnowledgeSequences, now: resolved.now };
  const passwords = { chain, scramIterations: resolved.scramIterations };
  const users = usersOf(store, passwords);
  for (const account of options.accounts ?? []) if (!store.has(account.username)) users.add(account);

  const invites = createInviteBook({
    enabled: resolved.invites !== undefined,
    domain: resolved.domain,
    seeds: options.invites?.tokens ?? [],
  });

  const captchas = createCaptchaBook({ captcha: resolved.captcha, now: resolved.now });

  const sessions = createSessionRegistry({ domain: resolved.domain, conflict: resolved.resourceConflict });
  const deps: ServerDeps = { options: resolved, store, sessions, passwords, invites, captchas };
  const route = createRouter({
    routes: iqRoutes(deps),
    errors: resolved.errors,
    domain: resolved.domain,
    log: resolved.log,
  });
  const stanzas = createStanzaRouter({
    sessions,
    domain: resolved.domain,
    errors: resolved.errors,
    presenceToAll: resolved.presenceToAll,
  });
  const connectionDeps = { options: resolved, sessions, route, stanzas, ...streamSteps(deps) };
  const connections = new Set<Connection>();

  const accept = (link: ClientLink) => {
    const full = connections.size >= resolved.maxConnections;
    const refusal = full
      ? new StreamError({ condition: "resource-constraint", text: "Too many connections" })
      : undefined;
    const connection = new Connection(link, connectionDeps, refusal);
    connections.add(connection);
    void connection.closed.then(() => connections.delete(connection));
  };
  const listener = net.createServer((socket) => accept(new TcpLink(socket)));
  listener.on("error", (err) => resolved.log?.(`listener error: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(resolved.port, resolved.host, () => {
      listener.off("error", reject);
      resolve();
    });
  });
  const address = listener.address() as net.AddressInfo;
  const webSockets =
    resolved.webSocketPort === undefined
      ? undefined
      : await listenForWebSockets({ ...resolved, port: resolved.webSocketPort }, accept).catch(async (err) => {
          await new Promise<void>((resolve) => listener.close(() => resolve()));
          throw err;
        });

  let closing: Promise<void> | undefined;
  const close = async () => {
    const stopped = Promise.all([new Promise<void>((resolve) => listener.close(() => resolve())), webSockets?.close()]);
    for (const connection of connections) connection.end(new StreamError({ condition: "system-shutdown" }));
    const allClosed = Promise.all([...connections].map((c) => c.closed));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    await Promise.race([allClosed, grace]);
    clearTimeout(timer);
    for (const connection of connections) connection.destroy();
    await Promise.all([stopped, allClosed]);
  };

  return {
    port: address.port,
    host: resolved.host,
    webSocketUrl: webSockets?.url,
    domain: resolved.domain,
    users,
    invites: invitesOf(invites),
    captchas: captchasOf(captchas),
    sessions: onlineSessions(sessions, stanzas, resolved.domain),
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
