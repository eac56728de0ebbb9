// Proof that the harness works: `npx tsx test/servers/smoke.ts [prosody|ejabberd|jabberd2 ...]`.
// For each kind: start plain, with tls + admin, and with registration off; talk raw XMPP over TCP;
// check with `ss` that every listening socket of the server is on 127.0.0.1; stop; check that no
// process is left and nothing listens on the port. Then two ejabberd at once. Exit code 1 on failure.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import {
  type RunningServer,
  type ServerKind,
  type ServerOptions,
  serverBinaryAvailable,
  startServer,
} from "./index.js";

const failures: string[] = [];
const timings: string[] = [];
function fail(what: string): void {
  failures.push(what);
  console.log(`  FAIL: ${what}`);
}

/** A raw XMPP conversation: write, then read until a predicate holds on what arrived since. */
class Raw {
  private buffer = "";
  private waiters: (() => void)[] = [];
  private socket: Socket | import("node:tls").TLSSocket;
  private constructor(socket: Socket | import("node:tls").TLSSocket) {
    this.socket = socket;
    this.attach(socket);
  }
  static open(port: number): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port }, () => resolve(new Raw(socket)));
      socket.once("error", reject);
    });
  }
  private attach(socket: Socket | import("node:tls").TLSSocket): void {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      for (const w of this.waiters.splice(0)) w();
    });
  }
  async send(text: string, until: RegExp, timeoutMs = 5000): Promise<string> {
    this.buffer = "";
    this.socket.write(text);
    return this.read(until, timeoutMs);
  }
  async read(until: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!until.test(this.buffer) && !this.socket.destroyed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const got = this.buffer;
    this.buffer = "";
    return got;
  }
  /** STARTTLS has been answered with <proceed/>: wrap the socket, verifying against ca. */
  async upgrade(ca: string, servername: string): Promise<{ authorized: boolean; error?: string }> {
    const plain = this.socket as Socket;
    plain.removeAllListeners("data");
    const secure = tlsConnect({ socket: plain, ca, servername });
    await new Promise<void>((resolve, reject) => {
      secure.once("secureConnect", resolve);
      secure.once("error", reject);
    });
    this.socket = secure;
    this.attach(secure);
    const error = secure.authorizationError;
    return { authorized: secure.authorized, ...(error ? { error: String(error) } : {}) };
  }
  close(): void {
    this.socket.end("</stream:stream>");
    this.socket.destroy();
  }
}

const header = (domain: string) =>
  `<?xml version='1.0'?><stream:stream to='${domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`;
const FEATURES = /<\/stream:features>|<stream:features[^>]*\/>|<\/stream:stream>|<stream:error/;
const IQ_END = /<\/iq>|<iq[^>]*\/>|<\/stream:stream>|<stream:error/;
const registerIq = (user: string, pw: string, id = "r1") =>
  `<iq type='set' id='${id}'><query xmlns='jabber:iq:register'><username>${user}</username><password>${pw}</password></query></iq>`;

function show(label: string, text: string): void {
  const redacted = text.replace(/<password>[^<]*<\/password>/g, "<password>***</password>");
  console.log(`  ${label}: ${redacted.length > 1500 ? `${redacted.slice(0, 1500)}…` : redacted}`);
}

// ---- process and socket inspection -----------------------------------------------------------

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  comm: string;
}
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const [state, ppid] = stat
        .slice(close + 2)
        .split(" ")
        .slice(0, 2);
      out.push({ pid: Number(entry), ppid: Number(ppid), state: state ?? "?", comm });
    } catch {}
  }
  return out;
}
/** Descendants that predate the servers (tsx's esbuild service): not the server's. */
const baseline = new Set<number>(processes().map((p) => p.pid));

/** The server's processes: those whose command line names its throwaway dir (configs live there). */
function serverProcesses(dir: string): Proc[] {
  return processes().filter((p) => {
    if (p.pid === process.pid || baseline.has(p.pid)) return false;
    try {
      return readFileSync(`/proc/${p.pid}/cmdline`, "utf8").includes(dir);
    } catch {
      return false;
    }
  });
}

function listening(): { local: string; pid: number; comm: string }[] {
  const out = execFileSync("ss", ["-Hltnp"], { encoding: "utf8" });
  const rows: { local: string; pid: number; comm: string }[] = [];
  for (const line of out.split("\n")) {
    const cols = line.trim().split(/\s+/);
    const local = cols[3];
    if (!local) continue;
    for (const m of line.matchAll(/\("([^"]+)",pid=(\d+)/g)) rows.push({ local, pid: Number(m[2]), comm: m[1] ?? "" });
    if (!/pid=/.test(line)) rows.push({ local, pid: 0, comm: "?" });
  }
  return rows;
}

function checkListeners(server: RunningServer): number[] {
  const pids = new Set(serverProcesses(server.dir).map((p) => p.pid));
  const sockets = listening().filter((s) => pids.has(s.pid));
  console.log(`  listening sockets of the server (ss -ltnp):`);
  for (const s of sockets) console.log(`    ${s.local.padEnd(22)} ${s.comm} pid=${s.pid}`);
  if (!sockets.some((s) => s.local === `127.0.0.1:${server.port}`)) fail(`${server.kind}: c2s port not seen in ss`);
  for (const s of sockets) {
    if (!s.local.startsWith("127.0.0.1:")) fail(`${server.kind}: ${s.comm} listens on ${s.local}`);
  }
  const epmd = processes().filter((p) => p.comm === "epmd");
  if (epmd.length) fail(`an epmd is running: ${epmd.map((p) => p.pid).join(", ")}`);
  return [...pids];
}

async function checkGone(kind: ServerKind, port: number, dir: string, pids: number[]): Promise<void> {
  // Reparented grandchildren may linger as zombies for a moment until init reaps them.
  const deadline = Date.now() + 3000;
  let left: Proc[] = [];
  for (;;) {
    const all = new Map(processes().map((p) => [p.pid, p]));
    const byPid = new Map<number, Proc>();
    for (const p of [...pids.map((pid) => all.get(pid)).filter((p): p is Proc => !!p), ...serverProcesses(dir)]) {
      byPid.set(p.pid, p);
    }
    left = [...byPid.values()];
    if (!left.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const live = left.filter((p) => p.state !== "Z");
  if (live.length) fail(`${kind}: processes left after stop: ${live.map((p) => `${p.comm}(${p.pid})`).join(", ")}`);
  else if (left.length) console.log(`  (zombies not yet reaped by init: ${left.map((p) => p.comm).join(", ")})`);
  else console.log("  after stop: no process of the server left");
  const still = listening().filter((s) => s.local.endsWith(`:${port}`));
  if (still.length) fail(`${kind}: port ${port} still listening after stop`);
  else console.log(`  after stop: nothing listens on ${port}`);
  try {
    readdirSync(dir);
    fail(`${kind}: dir ${dir} still exists`);
  } catch {}
}

// ---- one run ---------------------------------------------------------------------------------

async function run(kind: ServerKind, label: string, options: ServerOptions): Promise<void> {
  console.log(`\n=== ${kind} (${label}) ===`);
  const t0 = Date.now();
  let server: RunningServer;
  try {
    server = await startServer(kind, options);
  } catch (err) {
    fail(`${kind} ${label}: start: ${(err as Error).message}`);
    return;
  }
  const startMs = Date.now() - t0;
  timings.push(`${kind.padEnd(9)} ${label.padEnd(28)} start ${String(startMs).padStart(5)} ms`);
  console.log(`  started in ${startMs} ms on 127.0.0.1:${server.port}, dir ${server.dir}`);
  let pids: number[] = [];
  try {
    pids = checkListeners(server);
    const domain = server.domain;
    const raw = await Raw.open(server.port);
    const features = await raw.send(header(domain), FEATURES);
    show("header+features", features);
    if (!/<stream:features/.test(features)) fail(`${kind} ${label}: no stream features`);
    if (options.tls && !/urn:ietf:params:xml:ns:xmpp-tls/.test(features)) fail(`${kind} ${label}: no STARTTLS offered`);
    if (!options.tls && /urn:ietf:params:xml:ns:xmpp-tls/.test(features)) {
      console.log("  (STARTTLS offered without tls: true)");
    }
    const reply = await raw.send(registerIq("smoke1", "pw1"), IQ_END);
    show("register smoke1", reply);
    const ok = /type=['"]result['"]/.test(reply);
    if (options.allowRegistration === false ? ok : !ok) fail(`${kind} ${label}: unexpected register reply`);
    raw.close();

    if (options.tls && server.ca) {
      const t = await Raw.open(server.port);
      await t.send(header(domain), FEATURES);
      const proceed = await t.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", /<proceed|<failure/);
      if (!/<proceed/.test(proceed)) fail(`${kind}: STARTTLS not proceeding: ${proceed}`);
      else {
        const v = await t.upgrade(server.ca, domain);
        console.log(`  STARTTLS: certificate verified against ca: ${v.authorized}${v.error ? ` (${v.error})` : ""}`);
        if (!v.authorized) fail(`${kind}: TLS certificate not verified with the returned ca`);
        const f2 = await t.send(header(domain), FEATURES);
        show("features after TLS", f2);
      }
      t.close();
    }

    for (const admin of options.admins ?? []) {
      // iq:auth (plaintext) as the admin on a fresh stream, then list the ad-hoc commands.
      await new Promise((r) => setTimeout(r, 300)); // jabberd2 trap 4
      const a = await Raw.open(server.port);
      await a.send(header(domain), FEATURES);
      const auth = await a.send(
        `<iq type='set' id='a1'><query xmlns='jabber:iq:auth'><username>${admin.username}</username><password>${admin.password}</password><resource>smoke</resource></query></iq>`,
        IQ_END,
      );
      const loggedIn = /type=['"]result['"]/.test(auth) && !/<query/.test(auth);
      console.log(`  iq:auth as admin ${admin.username}: ${loggedIn ? "logged in" : auth}`);
      if (!loggedIn) fail(`${kind}: admin ${admin.username} cannot log in`);
      else {
        const items = await a.send(
          `<iq type='get' id='c1' to='${domain}'><query xmlns='http://jabber.org/protocol/disco#items' node='http://jabber.org/protocol/commands'/></iq>`,
          IQ_END,
        );
        const nodes = [...items.matchAll(/node=['"]([^'"]*admin#[^'"]*)['"]/g)].map((m) => m[1]?.replace(/.*#/, ""));
        console.log(`  XEP-0133 commands visible to the admin: ${nodes.length ? nodes.join(", ") : "(none)"}`);
        if (kind !== "jabberd2" && !nodes.includes("add-user")) fail(`${kind}: admin does not see admin#add-user`);
        if (kind === "jabberd2") show("disco#items commands (jabberd2 has no XEP-0050)", items);
      }
      a.close();
    }
    for (const user of options.users ?? []) {
      const u = await Raw.open(server.port);
      await u.send(header(domain), FEATURES);
      const auth = await u.send(
        `<iq type='set' id='a2'><query xmlns='jabber:iq:auth'><username>${user.username}</username><password>${user.password}</password><resource>smoke</resource></query></iq>`,
        IQ_END,
      );
      const loggedIn = /type=['"]result['"]/.test(auth) && !/<query/.test(auth);
      console.log(`  iq:auth as pre-created user ${user.username}: ${loggedIn ? "logged in" : auth}`);
      if (!loggedIn) fail(`${kind}: user ${user.username} cannot log in`);
      u.close();
    }
  } catch (err) {
    fail(`${kind} ${label}: ${(err as Error).stack ?? err}`);
    console.log((await server.log()).slice(-3000));
  } finally {
    const t1 = Date.now();
    const port = server.port;
    const dir = server.dir;
    await server.stop();
    const stopMs = Date.now() - t1;
    timings[timings.length - 1] += `, stop ${String(stopMs).padStart(5)} ms`;
    console.log(`  stopped in ${stopMs} ms`);
    await server.stop(); // idempotent
    await checkGone(kind, port, dir, pids);
  }
}

async function parallelEjabberd(): Promise<void> {
  console.log("\n=== two ejabberd at the same time ===");
  const t0 = Date.now();
  const results = await Promise.allSettled([
    startServer("ejabberd", { users: [{ username: "p1", password: "x" }] }),
    startServer("ejabberd", { tls: true }),
  ]);
  const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  for (const r of results) if (r.status === "rejected") fail(`parallel ejabberd: ${(r.reason as Error).message}`);
  timings.push(`ejabberd  2 in parallel                start ${String(Date.now() - t0).padStart(5)} ms (both)`);
  const pids: number[][] = [];
  for (const s of started) {
    console.log(`  instance on 127.0.0.1:${s.port} (${s.dir})`);
    pids.push(checkListeners(s));
    const raw = await Raw.open(s.port);
    await raw.send(header(s.domain), FEATURES);
    const reply = await raw.send(registerIq("same", "pw"), IQ_END);
    show("register 'same'", reply);
    if (!/type=['"]result['"]/.test(reply)) fail("parallel ejabberd: registration failed");
    raw.close();
  }
  const infos = started.map((s) => ({ port: s.port, dir: s.dir }));
  await Promise.all(started.map((s) => s.stop()));
  for (const [i, info] of infos.entries()) await checkGone("ejabberd", info.port, info.dir, pids[i] ?? []);
}

const kinds = (process.argv.slice(2).filter((a) => ["prosody", "ejabberd", "jabberd2"].includes(a)) as ServerKind[])
  .length
  ? (process.argv.slice(2) as ServerKind[])
  : (["prosody", "ejabberd", "jabberd2"] as ServerKind[]);

for (const kind of kinds) {
  if (!serverBinaryAvailable(kind)) {
    fail(`${kind}: not installed`);
    continue;
  }
  await run(kind, "plain", {});
  await run(kind, "tls + admin + user", {
    tls: true,
    admins: [{ username: "boss", password: "b0ss-pw" }],
    users: [{ username: "alice", password: "alice-pw" }],
  });
  await run(kind, "registration off", { allowRegistration: false });
  if (kind === "prosody") await run(kind, "fast + user", { fast: true, users: [{ username: "f", password: "f" }] });
}
if (kinds.includes("ejabberd") && serverBinaryAvailable("ejabberd")) await parallelEjabberd();

console.log("\n=== timings ===");
for (const t of timings) console.log(`  ${t}`);
console.log(failures.length ? `\n${failures.length} FAILURE(S):\n  ${failures.join("\n  ")}` : "\nall checks passed");
process.exitCode = failures.length ? 1 : 0;
