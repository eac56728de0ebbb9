// What createGateway takes, and the same with defaults filled in and checked once, at start: a misconfigured
// gateway refuses to start with a message naming the setting, rather than failing its first user.
import type { Provisioner } from "@reguser/register";
import { type ClientToken, type ClientTokenConfig, clientTokens } from "./client-tokens.js";
import type { GatewayEvent } from "./gateway-event.js";
import type { Mailer } from "./mail/mailer.js";
import { DEFAULT_TEMPLATES, type MailTemplates } from "./mail/templates.js";
import { type RateLimits, resolveRateLimits } from "./rate-limits.js";
import type { GatewayStore } from "./store/gateway-store.js";

/** Options of `createGateway`. The gateway owns none of `provisioner`, `store` and `mailer`: close them yourself. */
export interface GatewayOptions {
  /** The admin path that creates accounts and sets passwords; its credentials never leave the gateway. */
  provisioner: Provisioner;
  /** Pending links, limits and account records (`sqliteStore`, or `redisStore` for several instances). */
  store: GatewayStore;
  /** Where the links go (`smtpMailer`). */
  mailer: Mailer;
  /** The client-facing tokens, as digests (`hashClientToken`); several at once for rotation. */
  clientTokens: readonly ClientTokenConfig[];
  /** At least 32 bytes of secret: signs links and CSRF tokens. Every instance behind one balancer shares it. */
  secret: string | Uint8Array;
  /** The gateway's address as users reach it, for the links: `https://accounts.example.org`. */
  publicUrl: string;
  /** The XMPP domain accounts are created on, to name them in mails and pages (`user@domain`). */
  domain: string;
  /** How long a link works, in minutes (default 30). */
  linkMinutes?: number;
  /** Rate limits per client token, IP, username and address (`DEFAULT_RATE_LIMITS`); `false` turns one off. */
  limits?: RateLimits;
  /** Replace some of the mails (`DEFAULT_TEMPLATES`). */
  templates?: Partial<MailTemplates>;
  /**
   * The seed's mode, off by default: `create` makes the account at once with a random password and mails the
   * password itself, `reset_pass` sets and mails a new one. A mailed password is readable wherever the mail is.
   */
  temporaryPassword?: boolean;
  /** Serve the sign-up page at /signup (default true); the set-password page is always served. */
  signupPage?: boolean;
  /** Shortest password the set-password page accepts (default 10). */
  minPasswordLength?: number;
  /** Largest request body (default 8 192 bytes). */
  maxBodyBytes?: number;
  /** ms a client may take to send its body (default 10 000). */
  bodyTimeout?: number;
  /** Take the client's address from the last X-Forwarded-For hop (behind a proxy you run). Default false. */
  trustProxy?: boolean;
  /** Called for each thing the gateway does; never given a token, password, link or mail body. */
  log?: (event: GatewayEvent) => void;
  /** The clock, ms since the epoch (tests). */
  now?: () => number;
}

/** The options with defaults filled in: what every part of the gateway reads. */
export interface GatewayContext {
  provisioner: Provisioner;
  store: GatewayStore;
  mailer: Mailer;
  matchToken: (token: unknown) => ClientToken;
  secret: Uint8Array;
  publicUrl: URL;
  domain: string;
  linkMs: number;
  limits: Required<RateLimits>;
  templates: MailTemplates;
  temporaryPassword: boolean;
  signupPage: boolean;
  minPasswordLength: number;
  maxBodyBytes: number;
  bodyTimeout: number;
  trustProxy: boolean;
  log: (event: GatewayEvent) => void;
  now: () => number;
}

const MIN_SECRET_BYTES = 32;

/** Checks `options` and fills in defaults; throws a TypeError naming the first bad setting. */
export function resolveGatewayOptions(options: GatewayOptions): GatewayContext {
  const need = (ok: unknown, message: string) => {
    if (!ok) throw new TypeError(`createGateway: ${message}`);
  };
  need(options.provisioner, "provisioner is required (an admin path: xep0133Provisioner, ejabberdHttpApiProvisioner…)");
  need(options.store, "store is required (sqliteStore or redisStore)");
  need(options.mailer, "mailer is required (smtpMailer)");
  need(options.clientTokens?.length, "clientTokens needs at least one token digest (hashClientToken)");
  const secret = typeof options.secret === "string" ? new TextEncoder().encode(options.secret) : options.secret;
  need(secret && secret.length >= MIN_SECRET_BYTES, `secret must be at least ${MIN_SECRET_BYTES} bytes`);
  let publicUrl: URL | undefined;
  try {
    publicUrl = new URL(options.publicUrl);
  } catch {}
  need(publicUrl && /^https?:$/.test(publicUrl.protocol), "publicUrl must be an http:// or https:// URL");
  need(options.domain && !/[\s/@]/.test(options.domain), "domain must be the XMPP domain, e.g. example.org");
  const positive = (value: number | undefined, fallback: number, name: string) => {
    const n = value ?? fallback;
    need(Number.isFinite(n) && n > 0, `${name} must be a positive number`);
    return n;
  };
  return {
    provisioner: options.provisioner,
    store: options.store,
    mailer: options.mailer,
    matchToken: clientTokens(options.clientTokens),
    secret: secret as Uint8Array,
    publicUrl: publicUrl as URL,
    domain: options.domain,
    linkMs: positive(options.linkMinutes, 30, "linkMinutes") * 60_000,
    limits: resolveRateLimits(options.limits),
    templates: { ...DEFAULT_TEMPLATES, ...options.templates },
    temporaryPassword: options.temporaryPassword ?? false,
    signupPage: options.signupPage ?? true,
    minPasswordLength: positive(options.minPasswordLength, 10, "minPasswordLength"),
    maxBodyBytes: positive(options.maxBodyBytes, 8192, "maxBodyBytes"),
    bodyTimeout: positive(options.bodyTimeout, 10_000, "bodyTimeout"),
    trustProxy: options.trustProxy ?? false,
    log: options.log ?? (() => {}),
    now: options.now ?? Date.now,
  };
}
