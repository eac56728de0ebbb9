// Shared types of the real-server test harness (re-exported by index.ts).

export type ServerKind = "prosody" | "ejabberd" | "jabberd2";

export interface Account {
  username: string;
  password: string;
}

export interface ServerOptions {
  /** XMPP domain served; default 'localhost'. */
  domain?: string;
  /** In-band registration on (throttles off); default true. */
  allowRegistration?: boolean;
  /** Generate a self-signed certificate at start and offer STARTTLS (not required); default false. */
  tls?: boolean;
  /** Accounts created at start and granted admin rights (XEP-0133 ad-hoc commands). */
  admins?: Account[];
  /** Plain accounts created at start. */
  users?: Account[];
  /** Benchmarks: Prosody uses internal_plain + memory storage; ignored elsewhere. */
  fast?: boolean;
  /** ejabberd only: store passwords as SCRAM hashes (its stock default) to show trap 5. Default false. */
  hashedPasswords?: boolean;
  /** Start timeout in ms; default 120000 (it only guards against a hang). */
  startTimeoutMs?: number;
  /** Prosody only: this c2s port instead of a free one (the README snippets name 5222). */
  port?: number;
  /**
   * Seconds between registrations from one address: ejabberd's `registration_timeout`, Prosody's
   * `registration_throttle_max = 1` over this period (127.0.0.1 and ::1 stay exempt there). Default off.
   */
  registrationThrottle?: number;
  /** Prosody only: `c2s_require_encryption = true`, its stock default (our suites turn it off). Default false. */
  requireEncryption?: boolean;
  /**
   * Prosody only: mod_invites, mod_invites_register and mod_invites_adhoc, so registration is by invitation only
   * (`registration_invite_only` defaults to true). Default false.
   */
  invites?: boolean;
  /**
   * ejabberd only: `captcha_protected: true` with a `captcha_cmd` stub that prints a 1×1 PNG and appends each key
   * (the answer) to `captcha-keys` in the server's dir (`ejabberdCaptchaKeys`). Default false.
   */
  captcha?: boolean;
  /**
   * Prosody only: `c2s_timeout`, the seconds a stream may stay unauthenticated before the server closes it with
   * `connection-timeout` (300 as shipped, which the harness keeps by default).
   */
  unauthenticatedTimeout?: number;
  /**
   * XMPP over WebSocket (RFC 7395) on a free 127.0.0.1 port, read from `webSocketUrl`: ejabberd's `ejabberd_http`
   * listener with `/ws: ejabberd_http_ws`, Prosody's mod_websocket at `/xmpp-websocket` (plain ws://, so
   * `consider_websocket_secure = true`; with `tls` also wss:// on an https port). Ignored by jabberd2. Default false.
   */
  webSocket?: boolean;
  /**
   * ejabberd only: its HTTP API (`mod_http_api`) on a free 127.0.0.1 port, read from `httpApiUrl`, callable by the
   * accounts in the `admin` acl over HTTP Basic for `register`, `unregister`, `change_password`, `check_account` and
   * `check_password`. The first of `admins` is `httpApiAdmin`; without one, an admin with a random password is
   * made. Default false.
   */
  httpApi?: boolean;
}

export interface RunningServer {
  kind: ServerKind;
  host: "127.0.0.1";
  port: number;
  domain: string;
  /** PEM of the self-signed certificate when tls: true. */
  ca?: string;
  /** `ws://127.0.0.1:PORT/…` when started with `webSocket: true`. */
  webSocketUrl?: string;
  /** Prosody with `webSocket` and `tls`: `wss://127.0.0.1:PORT/xmpp-websocket`, its certificate the `ca`. */
  webSocketSecureUrl?: string;
  /** ejabberd with `httpApi`: `http://127.0.0.1:PORT`, where `POST /api/COMMAND` answers. */
  httpApiUrl?: string;
  /** ejabberd with `httpApi`: the admin account its Basic credentials are, by JID (`boss@localhost`). */
  httpApiAdmin?: { jid: string; password: string };
  /** Throwaway directory (config, data, logs); removed by stop(). */
  dir: string;
  /** The server's log text so far, for diagnostics. */
  log(): Promise<string>;
  /** Idempotent: kills by pid, waits for exit, removes dir. */
  stop(): Promise<void>;
}

/** Options with the defaults applied. */
export interface ResolvedOptions {
  domain: string;
  allowRegistration: boolean;
  tls: boolean;
  admins: Account[];
  users: Account[];
  fast: boolean;
  hashedPasswords: boolean;
  startTimeoutMs: number;
  port: number | undefined;
  registrationThrottle: number | undefined;
  requireEncryption: boolean;
  invites: boolean;
  captcha: boolean;
  unauthenticatedTimeout: number | undefined;
  webSocket: boolean;
  httpApi: boolean;
}

export function resolveOptions(options: ServerOptions = {}): ResolvedOptions {
  return {
    domain: options.domain ?? "localhost",
    allowRegistration: options.allowRegistration ?? true,
    tls: options.tls ?? false,
    admins: options.admins ?? [],
    users: options.users ?? [],
    fast: options.fast ?? false,
    hashedPasswords: options.hashedPasswords ?? false,
    // A hang guard: a busy 2-core machine has taken ejabberd over 20 s to start.
    startTimeoutMs: options.startTimeoutMs ?? 120_000,
    port: options.port,
    registrationThrottle: options.registrationThrottle,
    requireEncryption: options.requireEncryption ?? false,
    invites: options.invites ?? false,
    captcha: options.captcha ?? false,
    unauthenticatedTimeout: options.unauthenticatedTimeout,
    webSocket: options.webSocket ?? false,
    httpApi: options.httpApi ?? false,
  };
}
