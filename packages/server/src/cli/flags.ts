// The reguser-server command line: every flag, its value and what it sets, in one table (help is written from it).

/** One flag: `value` names its argument (none: a switch), `multiple` lets it repeat, `help` says what it does. */
export interface Flag {
  readonly value?: string;
  readonly multiple?: boolean;
  readonly help: string;
}

/** Every flag of reguser-server, in the order --help lists them. */
export const FLAGS = {
  port: { value: "N", help: "TCP port (default 5222; 0 picks a free one)" },
  host: { value: "ADDR", help: "address to bind (default 127.0.0.1: loopback only)" },
  "websocket-port": {
    value: "N",
    help: "also XMPP over WebSocket (ws://) on this port at /xmpp-websocket (0: a free one)",
  },
  domain: { value: "NAME", help: "the server's XMPP domain (default localhost)" },
  "no-registration": { help: "in-band registration off: the inquiry answers 501" },
  fields: { value: "LIST", help: "fields listed before username and password (default name,email; '' for none)" },
  "required-fields": { value: "LIST", help: "of those, the ones a registration must fill (406 without)" },
  instructions: { value: "TEXT", help: "the inquiry's <instructions> (default the book's text)" },
  form: { value: "MODE", help: "fields (default), both (fields + jabber:x:data form) or only (the form alone)" },
  "oob-url": { value: "URL", help: "OOB mode: the inquiry points at this URL, an attempt gets 405" },
  invites: { help: "invite-only registration: only a --invite-token (XEP-0445 preauth) lets one through" },
  "invite-token": {
    value: "TOKEN",
    multiple: true,
    help: "an invite token to start with (repeatable; optional unless --invites)",
  },
  captcha: { help: "CAPTCHA mode (ejabberd's captcha_protected): every challenge's answer is 123456" },
  "require-old-password": { help: "a password change must carry old_password (the XEP-0077 form flow)" },
  errors: { value: "STYLE", help: "error replies: both (default), legacy (jabberd 1.4) or modern (RFC 6120)" },
  "auth-methods": { value: "LIST", help: "jabber:iq:auth methods: plain,digest,0k (default all; none: off)" },
  "no-sasl": { help: "no SASL, resource binding or session (iq:auth only, as jabberd 1.4)" },
  "sasl-mechanisms": { value: "LIST", help: "SCRAM-SHA-1,PLAIN (default both)" },
  "scram-iterations": { value: "N", help: "PBKDF2 iterations for new SCRAM keys (default 10000)" },
  "tls-cert": { value: "FILE", help: "PEM certificate (chain): offer STARTTLS (with --tls-key)" },
  "tls-key": { value: "FILE", help: "PEM private key for --tls-cert" },
  "zero-knowledge-sequences": { value: "N", help: "0k hash chain length after a (re)set password (default 500)" },
  "zero-knowledge-registration": {
    help: "jabberd 1.4's 0k registration: a hash chain for a password (0k logins only)",
  },
  store: { value: "FILE", help: "keep accounts in this JSON file (plaintext passwords: test data only)" },
  "max-stanza-bytes": { value: "N", help: "largest stanza in bytes (default 1048576)" },
  "max-connections": { value: "N", help: "most connections at once (default 1000)" },
  "auth-timeout": { value: "MS", help: "time to authenticate in ms (default 300000; 0: no limit)" },
  log: { help: "print the traffic, redacted (no password, digest, hash or token), on stderr" },
  help: { help: "this help" },
} as const satisfies Record<string, Flag>;

/** A flag's name, without the dashes. */
export type FlagName = keyof typeof FLAGS;
