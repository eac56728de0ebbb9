// Tsung's side of the tsung-per-user contender: where the binary is, the scenario it runs (its jabber_register
// example, one session per user), and what its logs say afterwards.
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import xml from "@xmpp/xml";

export const TSUNG_INSTALL_HINT = "apt-get install -y tsung";

/** The tsung script: BENCH_TSUNG when set (and then only it), else /usr/bin/tsung, else the first on PATH. */
export function findTsung(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const onPath = (env.PATH ?? "").split(delimiter).map((dir) => join(dir, "tsung"));
  for (const file of env.BENCH_TSUNG ? [env.BENCH_TSUNG] : ["/usr/bin/tsung", ...onPath]) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** The version its script prints (`tsung -v`: "Tsung version 1.7.0"), read from the script, not by running it. */
export function tsungVersion(file: string): string | undefined {
  try {
    return /^VERSION=(\S+)/m.exec(readFileSync(file, "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

export interface Scenario {
  host: string;
  port: number;
  domain: string;
  n: number;
  /** Usernames are `${prefix}${id}`, passwords `pw-${prefix}-${id}`, with Tsung's user ids 1…n. */
  prefix: string;
  /** New users per second (Tsung draws the gaps from an exponential distribution: Poisson arrivals). */
  arrivalRate: number;
  /** Tsung stops the whole test after this many seconds. */
  maxSeconds: number;
  /** A reply not seen within this many milliseconds counts as error_timeout. */
  replyTimeoutMs: number;
}

/**
 * /usr/share/doc/tsung/examples/jabber_register.xml, with what a measurement needs:
 * - the register request waits for the IQ's reply (`ack="parse"` up to `<iq … type='result'|'error'`) instead of
 *   `ack="local"` (any packet: the example never looks at the reply), and a `do="log"` match logs each
 *   `type='result'` to match.log with its time: the successes counted, and the end of the phase;
 * - the connect logs its first packet from the server (`<`): the start of the phase;
 * - the close is `</stream:stream>` as a raw request: the `close` request also hands the user id back to Tsung's
 *   pool of idle ids, and the next session takes it again (ts_user_server), so usernames repeat and the server
 *   answers `conflict` (in a first try 193 of 200 sessions registered an already taken name);
 * - one arrival phase of exactly n users; the client is the controller's own VM on localhost (no ssh, no other host).
 */
export function scenarioXml(s: Scenario): string {
  const phaseSeconds = Math.max(1, Math.ceil((s.n / s.arrivalRate) * 2) + 2);
  const jabberOption = (name: string, value: string) => xml("option", { type: "ts_jabber", name, value });
  const request = (jabber: Record<string, string>, match?: { name: string; pattern: string }) =>
    xml(
      "request",
      {},
      ...(match ? [xml("match", { do: "log", when: "match", name: match.name }, match.pattern)] : []),
      xml("jabber", jabber),
    );
  const tsung = xml(
    "tsung",
    { loglevel: "notice", dumptraffic: "false", version: "1.0" },
    xml("clients", {}, xml("client", { host: "localhost", use_controller_vm: "true", maxusers: `${s.n}` })),
    xml("servers", {}, xml("server", { host: s.host, port: `${s.port}`, type: "tcp" })),
    xml(
      "load",
      { duration: `${Math.max(1, Math.floor(s.maxSeconds))}`, unit: "second" },
      xml(
        "arrivalphase",
        { phase: "1", duration: `${phaseSeconds}`, unit: "second" },
        xml("users", { maxnumber: `${s.n}`, arrivalrate: `${s.arrivalRate}`, unit: "second" }),
      ),
    ),
    xml(
      "options",
      {},
      xml("option", { name: "seed", value: "42" }),
      xml("option", { name: "idle_timeout", value: `${s.replyTimeoutMs}` }),
      jabberOption("global_number", "5"),
      jabberOption("userid_max", `${s.n}`),
      jabberOption("domain", s.domain),
      jabberOption("username", s.prefix),
      jabberOption("passwd", `pw-${s.prefix}-`),
    ),
    xml(
      "sessions",
      {},
      xml(
        "session",
        { probability: "100", name: "register", type: "ts_jabber" },
        request({ type: "connect", ack: "local" }, { name: "connected", pattern: "<" }),
        request(
          { type: "register", ack: "parse", regexp: "<iq[^>]*type=.(result|error)", id: "new" },
          { name: "registered", pattern: "type=.result." },
        ),
        request({ type: "raw", data: "</stream:stream>", ack: "local" }),
      ),
    ),
  );
  // The DTD line is Tsung's: it validates the file against it.
  return `<?xml version="1.0"?>\n<!DOCTYPE tsung SYSTEM "/usr/share/tsung/tsung-1.0.dtd">\n${tsung.toString()}\n`;
}

/** The run's directory: `-l DIR` makes one `YYYYMMDD-HHMM` directory in it. */
export function runDir(logRoot: string): string | undefined {
  try {
    const dirs = readdirSync(logRoot, { withFileTypes: true }).filter((d) => d.isDirectory());
    return dirs.length ? join(logRoot, (dirs.at(-1) as { name: string }).name) : undefined;
  } catch {
    return undefined;
  }
}

/** The file's text, or `fallback` when it cannot be read (not written yet, a process gone). */
export function readOr<T extends string | undefined>(file: string, fallback: T): string | T {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

/**
 * tsung.log's counters, last dump: `stats: NAME PERIOD TOTAL` (match, nomatch, users_count, finish_users_count,
 * error_* …). Sample lines (`stats: session COUNT MEAN …`, `stats: {cpu,…} …`) are skipped.
 */
export function counters(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readOr(join(dir, "tsung.log"), "").split("\n")) {
    const m = /^stats: ([a-z_][\w]*) (\d+) (\d+)\s*$/.exec(line);
    if (m) out[m[1] as string] = Number(m[3]);
  }
  return out;
}

/** tsung.log is closed (its last line, EndMonitor) and match.log has caught up with the `match` counter. */
export function settled(dir: string): boolean {
  const log = readOr(join(dir, "tsung.log"), "");
  if (!/^EndMonitor:/m.test(log)) return false;
  const m = matches(dir);
  return m.connected + m.registeredLines >= (counters(dir).match ?? 0);
}

export interface Matches {
  /** Seconds since the epoch of the first server packet, and of the last `type='result'`. */
  firstConnected?: number;
  lastRegistered?: number;
  lastAny?: number;
  connected: number;
  /** Distinct user ids whose register request got `type='result'`. */
  registered: number;
  /** `registered` lines: more than `registered` would mean one user id logged twice. */
  registeredLines: number;
}

/** match.log: `# timestamp userid sessionid requestid event transaction name`, one line per logged match. */
export function matches(dir: string): Matches {
  const users = new Set<string>();
  const out: Matches = { connected: 0, registered: 0, registeredLines: 0 };
  for (const line of readOr(join(dir, "match.log"), "").split("\n")) {
    const [time, user, , , , , name] = line.trim().split(/\s+/);
    const t = Number(time);
    if (!Number.isFinite(t) || line.startsWith("#")) continue;
    out.lastAny = Math.max(out.lastAny ?? t, t);
    if (name === "connected") {
      out.connected += 1;
      out.firstConnected = Math.min(out.firstConnected ?? t, t);
    } else if (name === "registered") {
      out.registeredLines += 1;
      users.add(user as string);
      out.lastRegistered = Math.max(out.lastRegistered ?? t, t);
    }
  }
  out.registered = users.size;
  return out;
}
