// Every setting of `reguser-web-bridge`: REGUSER_WEB_BRIDGE_<NAME> in the environment; --help prints this table.
import type { WebBridgeOptions } from "./bridge-options.js";

interface Setting {
  name: string;
  about: string;
  default?: string;
  required?: true;
}

export const PREFIX = "REGUSER_WEB_BRIDGE_";

export const SETTINGS: readonly Setting[] = [
  { name: "HOST", about: "address to listen on", default: "127.0.0.1" },
  { name: "PORT", about: "port to listen on", default: "8090" },
  {
    name: "XMPP_SERVICE",
    about: "xmpp://host:port, xmpps://host:port or ws(s)://… of the XMPP server",
    required: true,
  },
  { name: "XMPP_DOMAIN", about: "the XMPP domain users log in to", required: true },
  { name: "XMPP_LOGIN", about: "sasl | iq-auth (for servers that offer only jabber:iq:auth)", default: "sasl" },
  { name: "ALLOW_REGISTRATION", about: "serve POST /register/:username (true|false)", default: "false" },
  {
    name: "ALLOWED_ORIGINS",
    about: "origins (scheme://host[:port]) that may call it from their pages, comma-separated",
  },
  { name: "TOKEN_TTL_MS", about: "how long a token lives", default: "28800000" },
  { name: "IDLE_MS", about: "how long a token may go unused with no event stream", default: "1800000" },
  { name: "GRACE_MS", about: "how long a session stays after its last event stream closes", default: "30000" },
  { name: "MAX_STREAMS_PER_USER", about: "event streams one user may hold", default: "10" },
  { name: "MAX_SESSIONS", about: "users with an XMPP session at once", default: "1000" },
  { name: "MAX_QUEUED_EVENTS", about: "frames kept for a slow reader before the oldest are dropped", default: "256" },
  { name: "EXAMPLE_PAGE", about: "serve the example page at / (true|false)", default: "true" },
];

/** The options the environment gives; throws a TypeError naming a bad or unknown setting. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): { host: string; port: number; options: WebBridgeOptions } {
  const known = new Set(SETTINGS.map((s) => s.name));
  for (const key of Object.keys(env)) {
    if (key.startsWith(PREFIX) && !known.has(key.slice(PREFIX.length))) {
      throw new TypeError(`unknown setting ${key} (reguser-web-bridge --help lists them)`);
    }
  }
  const get = (name: string) => env[`${PREFIX}${name}`];
  const need = (name: string) => {
    const value = get(name);
    if (!value) throw new TypeError(`${PREFIX}${name} is required`);
    return value;
  };
  const number = (name: string) => {
    const value = get(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new TypeError(`${PREFIX}${name} must be a positive whole number`);
    return n;
  };
  const flag = (name: string) => {
    const value = get(name);
    if (value === undefined) return undefined;
    if (value !== "true" && value !== "false") throw new TypeError(`${PREFIX}${name} must be true or false`);
    return value === "true";
  };
  const login = get("XMPP_LOGIN") ?? "sasl";
  if (login !== "sasl" && login !== "iq-auth") throw new TypeError(`${PREFIX}XMPP_LOGIN must be sasl or iq-auth`);
  const options: WebBridgeOptions = {
    xmpp: { service: need("XMPP_SERVICE"), domain: need("XMPP_DOMAIN"), login },
    allowRegistration: flag("ALLOW_REGISTRATION"),
    allowedOrigins: get("ALLOWED_ORIGINS")
      ?.split(",")
      .map((o) => o.trim())
      .filter(Boolean),
    tokenTtlMs: number("TOKEN_TTL_MS"),
    idleMs: number("IDLE_MS"),
    graceMs: number("GRACE_MS"),
    maxStreamsPerUser: number("MAX_STREAMS_PER_USER"),
    maxSessions: number("MAX_SESSIONS"),
    maxQueuedEvents: number("MAX_QUEUED_EVENTS"),
    examplePage: flag("EXAMPLE_PAGE"),
  };
  for (const key of Object.keys(options) as Array<keyof WebBridgeOptions>)
    if (options[key] === undefined) delete options[key];
  return { host: get("HOST") ?? "127.0.0.1", port: number("PORT") ?? 8090, options };
}

/** The --help text. */
export function settingsHelp(): string {
  return SETTINGS.map((s) => {
    const notes = [s.default !== undefined ? `default ${s.default}` : "", s.required ? "required" : ""].filter(Boolean);
    return `  ${PREFIX}${s.name}\n      ${s.about}${notes.length ? ` (${notes.join("; ")})` : ""}`;
  }).join("\n");
}
