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
import type { SettingName } from "./settings.js";

/** What `reguser-gateway` runs. */
export interface BuiltGateway {
  host: string;
  port: number;
  options: GatewayOptions;
  /** Close the backend, the store and the mailer. */
  close(): Promise<void>;
}

/** Build every part from `values`; throws GatewayConfigError naming the first missing or bad setting. */
export async function buildGateway(values: SettingValues): Promise<BuiltGateway> {
  const need = (name: SettingName, why = "") => {
    const value = values[name];
    if (!value) throw new GatewayConfigError(`REGUSER_GATEWAY_${name} is required${why}`);
    return value;
  };
  const flag = (name: SettingName, fallback: boolean) => {
    const value = values[name];
    if (value === undefined) return fallback;
    if (value !== "true" && value !== "false") {
      throw new GatewayConfigError(`REGUSER_GATEWAY_${name} must be true or false`);
    }
    return value === "true";
  };
  const number = (name: SettingName, fallback: number) => {
    const value = values[name];
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < 0) throw new GatewayConfigError(`REGUSER_GATEWAY_${name} must be a whole number`);
    return n;
  };
  const domain = need("DOMAIN");
  const provisioner = backend(values, domain, need, number);
  const parts: Array<{ close(): Promise<void> }> = [provisioner];
  try {
    const store = await openStore(values.STORE ?? "sqlite:reguser-gateway.sqlite");
    parts.push(store);
    const mailer: Mailer = smtpMailer({ url: need("SMTP_URL"), from: need("MAIL_FROM") });
    parts.push(mailer);
    const options: GatewayOptions = {
      provisioner,
      store,
      mailer,
      clientTokens: parseClientTokens(need("CLIENT_TOKENS")),
      secret: need("SECRET"),
      publicUrl: need("PUBLIC_URL"),
      domain,
      linkMinutes: number("LINK_MINUTES", 30),
      temporaryPassword: flag("TEMPORARY_PASSWORD", false),
      signupPage: flag("SIGNUP_PAGE", true),
      minPasswordLength: number("MIN_PASSWORD_LENGTH", 10),
      trustProxy: flag("TRUST_PROXY", false),
      ...(values.TEMPLATES_FILE ? { templates: readTemplates(values.TEMPLATES_FILE) } : {}),
    };
    return {
      host: values.HOST ?? "127.0.0.1",
      port: number("PORT", 8080),
      options,
      close: () => closeAll(parts),
    };
  } catch (err) {
    await closeAll(parts);
    throw err;
  }
}

/** `id:sha256[:create+reset_pass]`, comma-separated. */
export function parseClientTokens(text: string): ClientTokenConfig[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id, sha256, actions, ...rest] = entry.split(":");
      if (!id || !sha256 || rest.length > 0) {
        throw new GatewayConfigError("REGUSER_GATEWAY_CLIENT_TOKENS: each entry is id:sha256 or id:sha256:actions");
      }
      const list = actions ? actions.split("+") : [...GATEWAY_ACTIONS];
      for (const action of list) {
        if (!(GATEWAY_ACTIONS as readonly string[]).includes(action)) {
          throw new GatewayConfigError(
            `REGUSER_GATEWAY_CLIENT_TOKENS: ${id} names an unknown action (create, reset_pass)`,
          );
        }
      }
      return { id, sha256, actions: list as GatewayAction[] };
    });
}

function backend(
  values: SettingValues,
  domain: string,
  need: (name: SettingName, why?: string) => string,
  number: (name: SettingName, fallback: number) => number,
): Provisioner {
  const kind = need("BACKEND", " (xep0133, ejabberd-http-api, openfire-rest-api, openfire-user-service, in-band)");
  const connect = (): OpenStreamOptions => {
    const tls = (values.XMPP_TLS ?? "auto") as TlsMode;
    if (!["auto", "starttls", "direct", "none"].includes(tls)) {
      throw new GatewayConfigError("REGUSER_GATEWAY_XMPP_TLS must be auto, starttls, direct or none");
    }
    return {
      host: values.XMPP_HOST ?? "127.0.0.1",
      port: number("XMPP_PORT", 5222),
      domain,
      tls,
      ...(values.XMPP_CA_FILE ? { ca: readFileSync(values.XMPP_CA_FILE, "utf8") } : {}),
    };
  };
  const admin = () => ({
    username: need("ADMIN_USERNAME", ` for ${kind}`),
    password: need("ADMIN_PASSWORD", ` for ${kind}`),
  });
  switch (kind) {
    case "xep0133":
      return xep0133Provisioner({ connect: connect(), admin: admin() });
    case "in-band":
      return inBandProvisioner({ connect: connect() });
    case "ejabberd-http-api":
      return ejabberdHttpApiProvisioner({
        baseUrl: need("EJABBERD_API_URL", " for ejabberd-http-api"),
        host: domain,
        admin: admin(),
      });
    case "openfire-rest-api":
      return openfireRestApiProvisioner({
        baseUrl: need("OPENFIRE_URL", ` for ${kind}`),
        secret: need("OPENFIRE_SECRET", ` for ${kind}`),
      });
    case "openfire-user-service":
      return openfireUserServiceProvisioner({
        baseUrl: need("OPENFIRE_URL", ` for ${kind}`),
        secret: need("OPENFIRE_SECRET", ` for ${kind}`),
      });
    default:
      throw new GatewayConfigError(
        "REGUSER_GATEWAY_BACKEND must be xep0133, ejabberd-http-api, openfire-rest-api, openfire-user-service or in-band",
      );
  }
}

async function openStore(spec: string): Promise<GatewayStore> {
  if (spec.startsWith("sqlite:")) return sqliteStore({ path: spec.slice("sqlite:".length) });
  if (/^rediss?:\/\//.test(spec)) return redisStore({ url: spec });
  throw new GatewayConfigError("REGUSER_GATEWAY_STORE must be sqlite:PATH or redis://host:port");
}

function readTemplates(file: string): Partial<MailTemplates> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new GatewayConfigError(
      `REGUSER_GATEWAY_TEMPLATES_FILE: not a readable JSON file (${(err as Error).message})`,
    );
  }
  const where = "REGUSER_GATEWAY_TEMPLATES_FILE";
  if (typeof parsed !== "object" || parsed === null) throw new GatewayConfigError(`${where}: must hold a JSON object`);
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
