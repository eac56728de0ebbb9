// From settings to running parts: the backend, the store, the mailer and createGateway's options. Everything it
// opens is returned with `close`, so the bin shuts down cleanly.
import { readFileSync } from "node:fs";
import {
  ejabberdHttpApiProvisioner,
  inBandProvisioner,
  openfireRestApiProvisioner,
  openfireUserServiceProvisioner,
  xep0133Provisioner,
} from "@reguser/admin";
import type { Provisioner } from "@reguser/register";
import type { OpenStreamOptions, TlsMode } from "@reguser/stream";
import { type ClientTokenConfig, GATEWAY_ACTIONS, type GatewayAction } from "../client-tokens.js";
import type { GatewayOptions } from "../gateway-options.js";
import { type Mailer, smtpMailer } from "../mail/mailer.js";
import { DEFAULT_TEMPLATES, type MailTemplates } from "../mail/templates.js";
import type { GatewayStore } from "../store/gateway-store.js";
import { redisStore, sqliteStore } from "../store/index.js";
import { GatewayConfigError, type SettingValues } from "./read-settings.js";
import { ENV_PREFIX, type SettingName } from "./settings.js";

/** createGateway's minimum, checked here to name the setting. */
const MIN_SECRET_BYTES = 32;

/** What `reguser-gateway` runs. */
export interface BuiltGateway {
  host: string;
  port: number;
  options: GatewayOptions;
  /** Close the backend, the store and the mailer. */
  close(): Promise<void>;
}

/**
 * Build every part from `values`; throws GatewayConfigError naming the first missing or bad setting. Every value is
 * checked before anything is opened, and the store (the only part that does I/O here) is opened last.
 */
export async function buildGateway(values: SettingValues): Promise<BuiltGateway> {
  const read = settingReader(values);
  const domain = read.need("DOMAIN");
  if (/[\s/@]/.test(domain)) {
    throw new GatewayConfigError(`${ENV_PREFIX}DOMAIN must be an XMPP domain, e.g. example.org`);
  }
  const secret = read.need("SECRET");
  if (Buffer.byteLength(secret, "utf8") < MIN_SECRET_BYTES) {
    throw new GatewayConfigError(`${ENV_PREFIX}SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const settings = {
    host: values.HOST ?? "127.0.0.1",
    port: read.whole("PORT", 8080, 0, 65_535),
    clientTokens: parseClientTokens(read.need("CLIENT_TOKENS")),
    publicUrl: read.url("PUBLIC_URL", ["http:", "https:"], read.need("PUBLIC_URL")),
    smtpUrl: read.url("SMTP_URL", ["smtp:", "smtps:"], read.need("SMTP_URL")),
    mailFrom: read.need("MAIL_FROM"),
    linkMinutes: read.whole("LINK_MINUTES", 30, 1),
    temporaryPassword: read.flag("TEMPORARY_PASSWORD", false),
    signupPage: read.flag("SIGNUP_PAGE", true),
    minPasswordLength: read.whole("MIN_PASSWORD_LENGTH", 10, 1),
    trustProxy: read.flag("TRUST_PROXY", false),
    templates: values.TEMPLATES_FILE ? readTemplates(values.TEMPLATES_FILE) : undefined,
  };
  const provisioner = backend(values, domain, read);
  const parts: Array<{ close(): Promise<void> }> = [provisioner];
  try {
    const mailer: Mailer = named("MAIL_FROM", () => smtpMailer({ url: settings.smtpUrl, from: settings.mailFrom }));
    parts.push(mailer);
    const store = await openStore(values.STORE ?? "sqlite:reguser-gateway.sqlite");
    parts.push(store);
    const options: GatewayOptions = {
      provisioner,
      store,
      mailer,
      clientTokens: settings.clientTokens,
      secret,
      publicUrl: settings.publicUrl,
      domain,
      linkMinutes: settings.linkMinutes,
      temporaryPassword: settings.temporaryPassword,
      signupPage: settings.signupPage,
      minPasswordLength: settings.minPasswordLength,
      trustProxy: settings.trustProxy,
      ...(settings.templates ? { templates: settings.templates } : {}),
    };
    return { host: settings.host, port: settings.port, options, close: () => closeAll(parts) };
  } catch (err) {
    await closeAll(parts);
    throw err;
  }
}

/**
 * `id:sha256[:create+reset_pass]`, comma-separated. A message names an entry by its number and id, never by its
 * digest or the whole entry (which could be a token pasted by mistake).
 */
export function parseClientTokens(text: string): ClientTokenConfig[] {
  const where = `${ENV_PREFIX}CLIENT_TOKENS`;
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new GatewayConfigError(`${where} needs at least one entry id:sha256`);
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const [id = "", sha256, actions, ...rest] = entry.split(":");
    const which = `entry ${i + 1}`;
    if (sha256 === undefined) {
      throw new GatewayConfigError(`${where}: ${which} has no digest (each entry is id:sha256[:create+reset_pass])`);
    }
    if (!/^[\w.-]{1,64}$/.test(id)) {
      throw new GatewayConfigError(`${where}: ${which} needs an id of letters, digits, '.', '_' or '-' (at most 64)`);
    }
    if (!/^[0-9a-f]{64}$/i.test(sha256)) {
      throw new GatewayConfigError(
        `${where}: ${id} needs the token's SHA-256 as 64 hex characters (reguser-gateway new-token prints it)`,
      );
    }
    if (rest.length > 0) throw new GatewayConfigError(`${where}: ${id} has more than id:sha256:actions`);
    if (seen.has(id)) throw new GatewayConfigError(`${where}: two entries share the id ${id}`);
    seen.add(id);
    const list = actions === undefined ? [...GATEWAY_ACTIONS] : actions.split("+");
    for (const action of list) {
      if (!(GATEWAY_ACTIONS as readonly string[]).includes(action)) {
        throw new GatewayConfigError(`${where}: ${id} names an unknown action (create, reset_pass)`);
      }
    }
    return { id, sha256: sha256.toLowerCase(), actions: list as GatewayAction[] };
  });
}

type SettingReader = ReturnType<typeof settingReader>;

/** The checks every setting goes through; each message names the setting and what it must be, not its value. */
function settingReader(values: SettingValues) {
  const fail = (name: SettingName, must: string): never => {
    throw new GatewayConfigError(`${ENV_PREFIX}${name} ${must}`);
  };
  return {
    need(name: SettingName, why = ""): string {
      return values[name] ?? fail(name, `is required${why}`);
    },
    flag(name: SettingName, fallback: boolean): boolean {
      const value = values[name];
      if (value === undefined) return fallback;
      if (value !== "true" && value !== "false") fail(name, "must be true or false");
      return value === "true";
    },
    whole(name: SettingName, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
      const value = values[name]?.trim();
      const n = value === undefined ? fallback : /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        fail(name, `must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}`);
      }
      return n;
    },
    url(name: SettingName, protocols: readonly string[], value: string): string {
      let url: URL | undefined;
      try {
        url = new URL(value);
      } catch {}
      if (!url || !protocols.includes(url.protocol)) {
        fail(name, `must be a URL starting ${protocols.map((p) => `${p}//`).join(" or ")}`);
      }
      return value;
    },
  };
}

/** `make()`, with any error it throws (a constructor's check of its options) as a GatewayConfigError for `name`. */
function named<T>(name: SettingName, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof GatewayConfigError) throw err;
    throw new GatewayConfigError(`${ENV_PREFIX}${name}: ${(err as Error).message}`, { cause: err });
  }
}

const BACKENDS = "xep0133, ejabberd-http-api, openfire-rest-api, openfire-user-service or in-band";

function backend(values: SettingValues, domain: string, read: SettingReader): Provisioner {
  const kind = read.need("BACKEND", ` (${BACKENDS})`);
  const connect = (): OpenStreamOptions => {
    const tls = (values.XMPP_TLS ?? "auto") as TlsMode;
    if (!["auto", "starttls", "direct", "none"].includes(tls)) {
      throw new GatewayConfigError(`${ENV_PREFIX}XMPP_TLS must be auto, starttls, direct or none`);
    }
    return {
      host: values.XMPP_HOST ?? "127.0.0.1",
      port: read.whole("XMPP_PORT", 5222, 1, 65_535),
      domain,
      tls,
      ...(values.XMPP_CA_FILE ? { ca: readSettingFile("XMPP_CA_FILE", values.XMPP_CA_FILE) } : {}),
    };
  };
  const admin = () => ({
    username: read.need("ADMIN_USERNAME", ` for ${kind}`),
    password: read.need("ADMIN_PASSWORD", ` for ${kind}`),
  });
  const httpUrl = (name: SettingName) => read.url(name, ["http:", "https:"], read.need(name, ` for ${kind}`));
  const openfire = () => ({ baseUrl: httpUrl("OPENFIRE_URL"), secret: read.need("OPENFIRE_SECRET", ` for ${kind}`) });
  switch (kind) {
    case "xep0133": {
      const options = { connect: connect(), admin: admin() };
      return named("XMPP_HOST", () => xep0133Provisioner(options));
    }
    case "in-band": {
      const options = { connect: connect() };
      return named("XMPP_HOST", () => inBandProvisioner(options));
    }
    case "ejabberd-http-api": {
      const options = { baseUrl: httpUrl("EJABBERD_API_URL"), host: domain, admin: admin() };
      return named("EJABBERD_API_URL", () => ejabberdHttpApiProvisioner(options));
    }
    case "openfire-rest-api": {
      const options = openfire();
      return named("OPENFIRE_URL", () => openfireRestApiProvisioner(options));
    }
    case "openfire-user-service": {
      const options = openfire();
      return named("OPENFIRE_URL", () => openfireUserServiceProvisioner(options));
    }
    default:
      throw new GatewayConfigError(`${ENV_PREFIX}BACKEND must be ${BACKENDS}`);
  }
}

/** The store STORE names; a failure to open it (a missing directory, Redis not running) names the setting. */
async function openStore(spec: string): Promise<GatewayStore> {
  const open = async () => {
    if (spec.startsWith("sqlite:") && spec.length > "sqlite:".length) {
      return sqliteStore({ path: spec.slice("sqlite:".length) });
    }
    if (/^rediss?:\/\//.test(spec)) return redisStore({ url: spec });
    throw new GatewayConfigError(`${ENV_PREFIX}STORE must be sqlite:PATH or redis://host:port`);
  };
  try {
    return await open();
  } catch (err) {
    if (err instanceof GatewayConfigError) throw err;
    // The stores' messages name the file, or the Redis host with any password scrubbed.
    throw new GatewayConfigError(`${ENV_PREFIX}STORE: ${(err as Error).message}`, { cause: err });
  }
}

function readSettingFile(name: SettingName, file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new GatewayConfigError(`${ENV_PREFIX}${name}: cannot read ${file} (${code})`);
  }
}

function readTemplates(file: string): Partial<MailTemplates> {
  const where = `${ENV_PREFIX}TEMPLATES_FILE`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readSettingFile("TEMPLATES_FILE", file));
  } catch (err) {
    if (err instanceof GatewayConfigError) throw err;
    throw new GatewayConfigError(`${where}: ${file} is not valid JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new GatewayConfigError(`${where}: must hold a JSON object`);
  }
  for (const [kind, template] of Object.entries(parsed)) {
    if (!(kind in DEFAULT_TEMPLATES)) {
      throw new GatewayConfigError(`${where}: unknown template ${kind} (${Object.keys(DEFAULT_TEMPLATES).join(", ")})`);
    }
    const t = template as Record<string, unknown>;
    if (!["subject", "text", "html"].every((part) => typeof t?.[part] === "string")) {
      throw new GatewayConfigError(`${where}: ${kind} needs subject, text and html, each a string`);
    }
  }
  return parsed as Partial<MailTemplates>;
}

async function closeAll(parts: ReadonlyArray<{ close(): Promise<void> }>): Promise<void> {
  await Promise.allSettled(parts.map((part) => part.close()));
}
