// Every setting of `reguser-gateway`, in one table: `--help` prints it, the environment (REGUSER_GATEWAY_<NAME>)
// and the JSON file of --config (the same names as keys) are read through it, and nothing else is read.

export interface Setting {
  name: string;
  /** What it is, in one line. */
  about: string;
  /** Shown in --help; the default used when it is left out. */
  default?: string;
  /** Needed in every configuration, or only with some backend/store. */
  required?: true | string;
  /** A secret: accepted as NAME_FILE too (a path to read it from), never printed or logged. */
  secret?: true;
}

export const ENV_PREFIX = "REGUSER_GATEWAY_";

export const SETTINGS = [
  { name: "HOST", about: "address to listen on", default: "127.0.0.1" },
  { name: "PORT", about: "port to listen on", default: "8080" },
  { name: "PUBLIC_URL", about: "the gateway's address as users reach it, for the mailed links", required: true },
  { name: "DOMAIN", about: "the XMPP domain accounts are created on", required: true },
  {
    name: "SECRET",
    about: "at least 32 bytes: signs links and CSRF tokens (same on every instance)",
    required: true,
    secret: true,
  },
  {
    name: "CLIENT_TOKENS",
    about: "client tokens as id:sha256[:create+reset_pass], comma-separated (reguser-gateway new-token makes one)",
    required: true,
  },
  {
    name: "BACKEND",
    about: "xep0133 | ejabberd-http-api | openfire-rest-api | openfire-user-service | in-band",
    required: true,
  },
  { name: "XMPP_HOST", about: "xep0133, in-band: the server's host", default: "127.0.0.1" },
  { name: "XMPP_PORT", about: "xep0133, in-band: the client port", default: "5222" },
  { name: "XMPP_TLS", about: "xep0133, in-band: auto | starttls | direct | none", default: "auto" },
  { name: "XMPP_CA_FILE", about: "xep0133, in-band: PEM file of the CA that signed the server's certificate" },
  {
    name: "ADMIN_USERNAME",
    about: "xep0133, ejabberd-http-api: the admin account's username",
    required: "xep0133, ejabberd-http-api",
  },
  {
    name: "ADMIN_PASSWORD",
    about: "xep0133, ejabberd-http-api: its password",
    required: "xep0133, ejabberd-http-api",
    secret: true,
  },
  {
    name: "EJABBERD_API_URL",
    about: "ejabberd-http-api: the listener's base URL, e.g. http://127.0.0.1:5443",
    required: "ejabberd-http-api",
  },
  {
    name: "OPENFIRE_URL",
    about: "openfire-*: the admin console's base URL, e.g. https://openfire.example:9091",
    required: "openfire-*",
  },
  {
    name: "OPENFIRE_SECRET",
    about: "openfire-*: the REST API or User Service secret",
    required: "openfire-*",
    secret: true,
  },
  {
    name: "STORE",
    about: "sqlite:PATH (one instance) or redis://[:password@]host:port (several)",
    default: "sqlite:reguser-gateway.sqlite",
    // A Redis URL may carry its password.
    secret: true,
  },
  { name: "SMTP_URL", about: "smtp://user:pass@host:587 or smtps://…:465", required: true, secret: true },
  { name: "MAIL_FROM", about: "the From address of the mails", required: true },
  { name: "LINK_MINUTES", about: "how long a mailed link works", default: "30" },
  {
    name: "TEMPORARY_PASSWORD",
    about: "the seed's mode: mail a random password instead of a link (true|false)",
    default: "false",
  },
  { name: "SIGNUP_PAGE", about: "serve the sign-up page at /signup (true|false)", default: "true" },
  { name: "MIN_PASSWORD_LENGTH", about: "shortest password the set-password page accepts", default: "10" },
  { name: "TRUST_PROXY", about: "take the client address from X-Forwarded-For (true|false)", default: "false" },
  { name: "TEMPLATES_FILE", about: "JSON file replacing some mail templates (create, reset, …: subject, text, html)" },
] as const satisfies readonly Setting[];

export type SettingName = (typeof SETTINGS)[number]["name"];

/** The --help text: every setting, its default and when it is needed. */
export function settingsHelp(): string {
  const rows = (SETTINGS as readonly Setting[]).map((s) => {
    const notes = [
      s.default !== undefined ? `default ${s.default}` : "",
      s.required === true ? "required" : s.required ? `required for ${s.required}` : "",
      s.secret ? `secret: or ${ENV_PREFIX}${s.name}_FILE` : "",
    ].filter(Boolean);
    return `  ${ENV_PREFIX}${s.name}\n      ${s.about}${notes.length ? ` (${notes.join("; ")})` : ""}`;
  });
  return rows.join("\n");
}
