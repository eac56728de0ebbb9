// jabberd2 2.7.0 from Debian: router, sm and c2s as three child processes (`-c FILE` each),
// configs, sqlite db (schema shipped by the package) and logs in a throwaway dir, 127.0.0.1 only.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { makeSelfSigned } from "@reguser/test-kit";
import { budget, exitCheck, logReader, makeDir, makeHandle, startOrClean } from "./common.js";
import { freePorts } from "./ports.js";
import { killPid, type Spawned, spawnLogged } from "./proc.js";
import type { Account, ResolvedOptions, RunningServer } from "./types.js";
import { waitForLog, waitForPort } from "./wait.js";

const SBIN = "/usr/sbin";
const LIBDIR = "/usr/lib/x86_64-linux-gnu/jabberd2";
const SCHEMA = "/usr/share/doc/jabberd2/db-setup.sqlite.gz";
/** sqlite3 is not a dependency of jabberd2: `apt-get install sqlite3`, or python3 (its sqlite3 module) is used. */
const SQLITE_CLI = "/usr/bin/sqlite3";

export const JABBERD2_BINARIES = [`${SBIN}/jabberd2-router`, `${SBIN}/jabberd2-sm`, `${SBIN}/jabberd2-c2s`];

export function jabberd2Available(): boolean {
  return (
    existsSync(SCHEMA) &&
    existsSync(`${LIBDIR}/storage_sqlite.so`) &&
    (existsSync(SQLITE_CLI) || pythonPath() !== undefined)
  );
}

function pythonPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(":")) {
    if (dir && existsSync(join(dir, "python3"))) return join(dir, "python3");
  }
  return undefined;
}

function xml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function sqlStr(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Runs SQL against the db with the sqlite3 CLI, or python3's sqlite3 module if the CLI is missing. */
function runSql(db: string, sql: string): Promise<void> {
  const [cmd, args] = existsSync(SQLITE_CLI)
    ? [SQLITE_CLI, ["-batch", "-bail", db]]
    : [
        pythonPath() ?? "python3",
        ["-c", "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.executescript(sys.stdin.read())\nc.commit()", db],
      ];
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 120_000 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`${cmd} failed: ${stderr || err.message}`)) : resolve(),
    );
    child.stdin?.end(sql);
  });
}

function accountsSql(accounts: Account[], domain: string): string {
  const rows = accounts.map((a) => {
    const jid = `${a.username}@${domain}`;
    return [
      // c2s authreg (plaintext password storage) …
      `INSERT INTO "authreg" ("username", "realm", "password") VALUES (${sqlStr(a.username)}, ${sqlStr(domain)}, ${sqlStr(a.password)});`,
      // … and the sm's "user exists" record, what its user-create chain (mod_active) writes
      `INSERT INTO "active" ("collection-owner", "time") VALUES (${sqlStr(jid)}, strftime('%s','now'));`,
    ].join("\n");
  });
  return `BEGIN;\n${rows.join("\n")}\nCOMMIT;\n`;
}

interface Ports {
  port: number;
  routerPort: number;
}

interface ConfigInput extends Ports {
  dir: string;
  secret: string;
  options: ResolvedOptions;
  pemFile?: string;
}

function logXml(dir: string, name: string): string {
  return `  <log type='file'><file>${xml(join(dir, `${name}.log`))}</file></log>`;
}

function routerXml({ dir, routerPort }: ConfigInput): string {
  return `<router>
  <id>router</id>
  <pidfile>${xml(join(dir, "router.pid"))}</pidfile>
${logXml(dir, "router")}
  <local>
    <ip>127.0.0.1</ip>
    <port>${routerPort}</port>
    <users>${xml(join(dir, "router-users.xml"))}</users>
  </local>
  <check><interval>60</interval><keepalive>0</keepalive></check>
  <io>
    <max_fds>1024</max_fds>
    <limits><bytes>0</bytes><connects>0</connects></limits>
    <access><order>allow,deny</order></access>
  </io>
  <aliases/>
  <aci>
    <acl type='all'><user>jabberd</user></acl>
  </aci>
</router>
`;
}

function routerUsersXml({ secret }: ConfigInput): string {
  return `<users><user><name>jabberd</name><secret>${xml(secret)}</secret></user></users>\n`;
}

function routerClient({ routerPort, secret }: ConfigInput): string {
  return `  <router>
    <ip>127.0.0.1</ip>
    <port>${routerPort}</port>
    <user>jabberd</user>
    <pass>${xml(secret)}</pass>
    <retry><init>10</init><lost>3</lost><sleep>1</sleep></retry>
  </router>`;
}

function sqliteXml(dir: string): string {
  return `<sqlite>
      <dbname>${xml(join(dir, "jabberd2.db"))}</dbname>
      <busy-timeout>5000</busy-timeout>`;
}

function smXml(input: ConfigInput): string {
  const { dir, options } = input;
  const admins = options.admins.map((a) => `<jid>${xml(`${a.username}@${options.domain}`)}</jid>`).join("");
  const chain = (id: string, modules: string[]) =>
    `    <chain id='${id}'>${modules.map((m) => `<module>${m}</module>`).join("")}</chain>`;
  return `<sm>
  <id>sm</id>
  <pidfile>${xml(join(dir, "sm.pid"))}</pidfile>
${routerClient(input)}
${logXml(dir, "sm")}
  <local><id>${xml(options.domain)}</id></local>
  <storage>
    <path>${LIBDIR}</path>
    <driver>sqlite</driver>
    ${sqliteXml(dir)}
    </sqlite>
  </storage>
  <aci>${admins ? `<acl type='all'>${admins}</acl>` : ""}</aci>
  <modules>
    <path>${LIBDIR}</path>
${chain("sess-start", ["status"])}
${chain("sess-end", ["status", "iq-last"])}
${chain("in-sess", ["validate", "status", "privacy", "roster", "vacation", "iq-vcard", "iq-ping", "iq-private", "disco", "amp", "offline", "announce", "presence", "deliver"])}
${chain("out-sess", [])}
${chain("in-router", ["session", "validate", "presence", "privacy"])}
${chain("out-router", ["privacy"])}
${chain("pkt-sm", ["iq-last", "iq-ping", "iq-time", "iq-version", "amp", "disco", "announce", "help", "echo", "status", "presence"])}
${chain("pkt-user", ["roster", "presence", "disco", "iq-vcard", "amp", "deliver", "vacation", "offline", "iq-last"])}
${chain("pkt-router", ["session", "disco"])}
${chain("user-load", ["active", "roster", "roster-publish", "privacy", "vacation"])}
${chain("user-unload", [])}
${chain("user-create", ["active"])}
${chain("user-delete", ["active", "announce", "offline", "privacy", "roster", "vacation", "status", "iq-last", "iq-private", "iq-vcard"])}
${chain("disco-extend", ["iq-version", "help"])}
  </modules>
  <discovery>
    <identity><category>server</category><type>im</type><name>jabberd2 (reguser tests)</name></identity>
    <agents/>
  </discovery>
  <user><template><active-cache-ttl>60</active-cache-ttl></template></user>
</sm>
`;
}

function c2sXml(input: ConfigInput): string {
  const { dir, options, port, pemFile } = input;
  const attrs = [
    options.allowRegistration ? "register-enable='mu'" : "password-change='mu'",
    pemFile ? `pemfile='${xml(pemFile)}'` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return `<c2s>
  <id>c2s</id>
  <pidfile>${xml(join(dir, "c2s.pid"))}</pidfile>
${routerClient(input)}
${logXml(dir, "c2s")}
  <local>
    <id ${attrs}>${xml(options.domain)}</id>
    <ip>127.0.0.1</ip>
    <port>${port}</port>
  </local>
  <io>
    <max_fds>4096</max_fds>
    <limits>
      <bytes>0</bytes>
      <stanzas>0</stanzas>
      <connects>0</connects>
      <stanzasize>1048576</stanzasize>
    </limits>
    <access><order>allow,deny</order></access>
    <check><interval>0</interval><idle>0</idle><keepalive>0</keepalive></check>
  </io>
  <authreg>
    <path>${LIBDIR}</path>
    <module>sqlite</module>
    <mechanisms>
      <traditional><plain/><digest/></traditional>
      <sasl><plain/></sasl>
    </mechanisms>
    <ssl-mechanisms>
      <traditional><plain/><digest/></traditional>
      <sasl><plain/></sasl>
    </ssl-mechanisms>
    ${sqliteXml(dir)}
      <password_type><plaintext/></password_type>
    </sqlite>
  </authreg>
</c2s>
`;
}

export async function startJabberd2(options: ResolvedOptions): Promise<RunningServer> {
  const dir = await makeDir("jabberd2");
  const log = logReader(["router", "sm", "c2s"].flatMap((n) => [join(dir, `${n}.log`), join(dir, `${n}.out`)]));
  const procs: Spawned[] = [];
  // c2s first (it holds the client port), then sm, then the router they connect to.
  const shutdown = async () => {
    for (const p of [...procs].reverse()) await killPid(p.pid, 5000);
  };
  return startOrClean("jabberd2", dir, log, shutdown, async () => {
    const left = budget(options.startTimeoutMs);
    const [[port, routerPort], cert] = await Promise.all([
      freePorts(2),
      options.tls ? makeSelfSigned(dir, options.domain) : Promise.resolve(undefined),
    ]);
    if (!port || !routerPort) throw new Error("no free ports");
    let pemFile: string | undefined;
    if (cert) {
      pemFile = join(dir, "server.pem");
      await writeFile(pemFile, cert.certPem + cert.keyPem, { mode: 0o600 });
    }
    const input: ConfigInput = {
      dir,
      port,
      routerPort,
      secret: randomBytes(12).toString("hex"),
      options,
      ...(pemFile ? { pemFile } : {}),
    };
    const db = join(dir, "jabberd2.db");
    const schema = gunzipSync(await readFile(SCHEMA)).toString("utf8");
    await runSql(db, schema + accountsSql([...options.admins, ...options.users], options.domain));
    await Promise.all([
      writeFile(join(dir, "router.xml"), routerXml(input)),
      writeFile(join(dir, "router-users.xml"), routerUsersXml(input)),
      writeFile(join(dir, "sm.xml"), smXml(input)),
      writeFile(join(dir, "c2s.xml"), c2sXml(input)),
    ]);
    const start = (name: "router" | "sm" | "c2s") => {
      const p = spawnLogged(`${SBIN}/jabberd2-${name}`, ["-c", join(dir, `${name}.xml`)], {
        cwd: dir,
        logFile: join(dir, `${name}.out`),
      });
      procs.push(p);
      return p;
    };
    // The processes start one after another: check whichever have started.
    const check = () => exitCheck(...procs)();
    start("router");
    const failOn = /.*failed to listen.*/;
    await waitForLog(log, new RegExp(`port=${routerPort}\\] listening for incoming connections`), {
      timeoutMs: left(),
      check,
      failOn,
    });
    start("sm");
    start("c2s");
    await waitForLog(log, /sm ready for sessions/, { timeoutMs: left(), check, failOn });
    await waitForLog(log, new RegExp(`port=${port}\\] listening for connections`), {
      timeoutMs: left(),
      check,
      failOn,
    });
    await waitForPort(port, { timeoutMs: left(), check });
    return makeHandle({
      kind: "jabberd2",
      port,
      domain: options.domain,
      dir,
      cert,
      log,
      shutdown,
    });
  });
}
