// What startServer accepts, with jabberd 1.4's behaviour (as the book describes it) as the defaults.
import { randomBytes, randomInt } from "node:crypto";
import { type ErrorStyle, InvalidOptionError } from "@reguser/errors";
import { NS } from "@reguser/protocol";
import type { AccountStore } from "./store/account-store.js";

/** The jabber:iq:auth methods (XEP-0078, and the book's 0k). */
export const AUTH_METHODS = ["plain", "digest", "0k"] as const;
export type ServerAuthMethod = (typeof AUTH_METHODS)[number];

/** The SASL mechanisms, in the order the features list them (Prosody's order: the strongest first). */
export const SASL_MECHANISMS = ["SCRAM-SHA-1", "PLAIN"] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** RFC 6120 §7.7.2.2's answers to a login to a full JID in use: refuse it (409), or end the old stream. */
export const RESOURCE_CONFLICTS = ["refuse", "replace"] as const;
export type ResourceConflict = (typeof RESOURCE_CONFLICTS)[number];

/** How the jabber:iq:register inquiry describes the fields. */
export const REGISTRATION_FORMS = {
  /** Legacy field elements only (jabberd 1.4). */
  fields: "fields",
  /** Legacy fields and a jabber:x:data form (Prosody). */
  both: "both",
  /** Only the jabber:x:data form: a client that ignores it sends no username (→ 406). */
  only: "only",
} as const;
export type RegistrationForm = (typeof REGISTRATION_FORMS)[keyof typeof REGISTRATION_FORMS];

/** The certificate STARTTLS presents. */
export interface TlsCredentials {
  /** PEM private key. */
  key: string | Buffer;
  /** PEM certificate (chain). */
  cert: string | Buffer;
}

/** An account that exists from the start. */
export interface SeedAccount {
  username: string;
  password: string;
  fields?: Record<string, string>;
}

/** An invite that exists from the start (`invites.tokens`). */
export interface InviteSeed {
  /** What the client sends in `<preauth token='…'/>`. */
  token: string;
  /** The account the invite is meant for; with `reset`, the account whose password it resets. */
  username?: string;
  /** Registering `username` again, when it exists, sets a new password instead of 409 (Prosody's reset invite). */
  reset?: boolean;
}

/** Invite tokens (XEP-0445, XEP-0401), as Prosody 0.12's mod_invites and mod_invites_register. */
export interface InviteOptions {
  /** Only a registration on a connection with a validated token goes through (Prosody's default). Default true. */
  only?: boolean;
  /** Unspent invites from the start; a string is a token for any name. */
  tokens?: readonly (string | InviteSeed)[];
}

/** The FORM_TYPE a CAPTCHA form carries: ejabberd 23.01's, or the older ejabberds' XEP-0158 one. */
export const CAPTCHA_FORM_TYPES = ["jabber:iq:register", "urn:xmpp:captcha"] as const;
/** One of `CAPTCHA_FORM_TYPES`. */
export type CaptchaFormType = (typeof CAPTCHA_FORM_TYPES)[number];

/** XEP-0158 CAPTCHA-protected registration, as ejabberd's `captcha_protected: true`. */
export interface CaptchaOptions {
  /** The text the image "shows" for a challenge id, which an attempt must send back. Default 6 random digits each. */
  answer?: (challenge: string) => string;
  /** The form's FORM_TYPE: `jabber:iq:register` (default, ejabberd 23.01) or `urn:xmpp:captcha` (older ejabberd). */
  formType?: CaptchaFormType;
  /** How long a challenge can be answered, in ms on the `now` clock. Default 120,000 (ejabberd's lifetime). */
  ttlMs?: number;
}

/** Everything `startServer` can be told; every option has a default. */
export interface ServerOptions {
  /** TCP port; 0 (default) picks a free one, read it from `server.port`. */
  port?: number;
  /** Address to bind. Default `127.0.0.1`: loopback only. */
  host?: string;
  /**
   * Also accept XMPP over WebSocket (RFC 7395) on this port, at `/xmpp-websocket` (Prosody's path), `ws://` only;
   * 0 picks a free one. Read the URL from `server.webSocketUrl`. Default: no WebSocket listener.
   */
  webSocketPort?: number;
  /** The server's domain: `from` of its header, domain part of JIDs. Default `localhost`. */
  domain?: string;
  /** In-band registration on. Default true; off: the inquiry answers 501, the set keeps the book's order (406, 409, 501). */
  registration?: boolean;
  /** Fields listed before `username` and `password` (always listed). Default `name`, `email` (the book's `<register/>`). */
  fields?: readonly string[];
  /** Of `fields`, those a registration must fill (missing → 406). Default none, as jabberd 1.4. */
  requiredFields?: readonly string[];
  /** `<instructions>` of the inquiry. Default the book's text. */
  instructions?: string;
  /** `fields` (default), `both` (fields + jabber:x:data form) or `only` (the form alone). */
  registrationForm?: RegistrationForm;
  /** OOB mode: the inquiry carries only instructions and this `jabber:x:oob` URL; a set is refused with 405 not-allowed. */
  oobUrl?: string;
  /** Invite tokens on (off without it): `<preauth/>` before registering; a validated token opens registration. */
  invites?: InviteOptions;
  /** CAPTCHA mode on (off without it): the inquiry is ejabberd's CAPTCHA form; an attempt must answer it. */
  captcha?: CaptchaOptions;
  /** A password change must carry the old password (XEP-0077 §3.3 form flow). Default false. */
  requireOldPassword?: boolean;
  /** Error replies: `legacy` (code + text, jabberd 1.4), `modern` (type + condition + text), `both` (default). */
  errors?: ErrorStyle;
  /** What jabber:iq:auth offers. Default all three; `[]` turns iq:auth off. */
  authMethods?: readonly ServerAuthMethod[];
  /** SASL (with resource binding and session) on 1.0 streams. Default true. */
  sasl?: boolean;
  /** Which SASL mechanisms are offered and accepted. Default both: SCRAM-SHA-1, PLAIN. */
  saslMechanisms?: readonly SaslMechanism[];
  /** PBKDF2 iterations for the SCRAM keys of a (re)set password. Default 10,000 (Prosody's). */
  scramIterations?: number;
  /** Offer STARTTLS on 1.0 streams with this key and certificate. */
  tls?: TlsCredentials;
  /** 0k hash chain length after a (re)set password. Default 500 (jabberd's). */
  zeroKnowledgeSequences?: number;
  /**
   * jabberd 1.4's zero-knowledge registration (mod_auth_0k): the inquiry shows an empty `<hash/>`, and a set may
   * carry `hash`, `token` and `sequence` (the top of the client's chain) instead of a password; that account logs in
   * with 0k only. Default false: a set without a password is a 406.
   */
  zeroKnowledgeRegistration?: boolean;
  /**
   * A "shared roster" for tests: every local user's broadcast presence goes to every other user's available
   * resources (and a newly available one is shown theirs). Default false: there are no rosters, so broadcast presence
   * reaches only the user's own resources, and directed presence (`to`) the resources it names.
   */
  presenceToAll?: boolean;
  /**
   * A login (iq:auth, or resource binding after SASL) to a full JID already bound (RFC 6120 §7.7.2.2): `refuse` it
   * with 409 conflict (default, as ever), or `replace` the old stream, which gets a `<conflict/>` stream error.
   */
  resourceConflict?: ResourceConflict;
  /** Accounts that exist from the start (added unless the store already has them). */
  accounts?: readonly SeedAccount[];
  /** Keep accounts in this JSON file (plaintext passwords and SCRAM keys: test data only) so they survive restarts. */
  storeFile?: string;
  /** Any store of your own; wins over `storeFile`. */
  store?: AccountStore;
  /** Largest stanza, in bytes received since the last complete one. Default 1 MiB; over: policy-violation. */
  maxStanzaBytes?: number;
  /** Most connections at once. Default 1,000; over: header, resource-constraint, close. */
  maxConnections?: number;
  /** Milliseconds from connect to authentication (the book's `<authtime/>`). Default 300,000 (5 min); 0 = no limit. */
  authTimeout?: number;
  /** Receives redacted traffic and events; passwords, digests, hashes and tokens never reach it. */
  log?: (line: string) => void;
  /** Clock (ms since epoch) for 0k tokens (the hex Unix time at reset) and CAPTCHA lifetimes. Default `Date.now`. */
  now?: () => number;
  /** Makes stream ids and generated resources. Default 8 random upper-case hex digits. */
  ids?: () => string;
}

/** The options with their defaults filled in. */
export interface ResolvedOptions
  extends Required<
    Omit<
      ServerOptions,
      "log" | "tls" | "oobUrl" | "invites" | "captcha" | "storeFile" | "store" | "accounts" | "webSocketPort"
    >
  > {
  webSocketPort: number | undefined;
  log: ServerOptions["log"];
  /** Invites on, and whether they are the only way in; the seeded tokens go to the invite book. */
  invites: { only: boolean } | undefined;
  /** CAPTCHA mode on, with every setting filled in; the challenges themselves are in the CAPTCHA book. */
  captcha: Required<CaptchaOptions> | undefined;
  tls: TlsCredentials | undefined;
  oobUrl: string | undefined;
}

/** Prosody's `default_iteration_count`. */
export const DEFAULT_SCRAM_ITERATIONS = 10_000;

/** The inquiry's `<instructions>` in the book's Example 7-1. */
export const BOOK_INSTRUCTIONS = "Choose a username and password to register with this server.";

/** Fill in the defaults. */
export function resolveOptions(options: ServerOptions): ResolvedOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    webSocketPort: options.webSocketPort,
    domain: options.domain ?? "localhost",
    registration: options.registration ?? true,
    fields: options.fields ?? ["name", "email"],
    requiredFields: options.requiredFields ?? [],
    instructions: options.instructions ?? BOOK_INSTRUCTIONS,
    registrationForm: options.registrationForm ?? "fields",
    oobUrl: options.oobUrl,
    invites: options.invites ? { only: options.invites.only ?? true } : undefined,
    captcha: options.captcha && resolveCaptcha(options.captcha, options.oobUrl),
    requireOldPassword: options.requireOldPassword ?? false,
    errors: options.errors ?? "both",
    authMethods: options.authMethods ?? AUTH_METHODS,
    sasl: options.sasl ?? true,
    saslMechanisms: options.saslMechanisms ?? SASL_MECHANISMS,
    scramIterations: options.scramIterations ?? DEFAULT_SCRAM_ITERATIONS,
    tls: options.tls,
    zeroKnowledgeSequences: options.zeroKnowledgeSequences ?? 500,
    zeroKnowledgeRegistration: options.zeroKnowledgeRegistration ?? false,
    presenceToAll: options.presenceToAll ?? false,
    resourceConflict: resolveResourceConflict(options.resourceConflict),
    maxStanzaBytes: options.maxStanzaBytes ?? 1024 * 1024,
    maxConnections: options.maxConnections ?? 1000,
    authTimeout: options.authTimeout ?? 300_000,
    log: options.log,
    now: options.now ?? Date.now,
    ids: options.ids ?? (() => randomBytes(4).toString("hex").toUpperCase()),
  };
}

function resolveResourceConflict(given: ResourceConflict | undefined): ResourceConflict {
  if (given === undefined) return "refuse";
  if (!(RESOURCE_CONFLICTS as readonly unknown[]).includes(given)) {
    throw new InvalidOptionError("startServer", "resourceConflict", String(given), RESOURCE_CONFLICTS.join(" or "));
  }
  return given;
}

/** ejabberd's lifetime of a CAPTCHA challenge (`?CAPTCHA_LIFETIME`). */
export const DEFAULT_CAPTCHA_TTL_MS = 120_000;

/** The CAPTCHA settings checked and filled in; OOB mode has no form to carry a CAPTCHA, so not both. */
function resolveCaptcha(captcha: CaptchaOptions, oobUrl: string | undefined): Required<CaptchaOptions> {
  const { answer = randomAnswer, formType = NS.register, ttlMs = DEFAULT_CAPTCHA_TTL_MS } = captcha;
  if (oobUrl !== undefined) {
    throw new InvalidOptionError("startServer", "captcha", "an object", "left out with oobUrl (OOB mode has no form)");
  }
  if (typeof answer !== "function")
    throw new InvalidOptionError("startServer", "captcha.answer", typeof answer, "a function");
  if (!(CAPTCHA_FORM_TYPES as readonly unknown[]).includes(formType)) {
    throw new InvalidOptionError("startServer", "captcha.formType", String(formType), CAPTCHA_FORM_TYPES.join(" or "));
  }
  if (typeof ttlMs !== "number" || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw new InvalidOptionError("startServer", "captcha.ttlMs", String(ttlMs), "a positive number of milliseconds");
  }
  return { answer, formType, ttlMs };
}

/** What a default CAPTCHA image "shows": six random digits. */
const randomAnswer = (): string => randomInt(0, 1_000_000).toString().padStart(6, "0");

/**
 * Someone may register in-band: registration is on, or invites are (a validated token opens registration even where
 * it is off, as mod_invites_register brings mod_register_ibr along).
 */
export const registrationPossible = (options: Pick<ResolvedOptions, "registration" | "invites">): boolean =>
  options.registration || options.invites !== undefined;
