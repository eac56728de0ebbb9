// The help text of every command (shown by --help, `reguser help CMD`, and with no arguments at all).
import type { CommandName } from "./commands.js";

const CONNECTION = `Connection options (in place of host[:port], a ws:// or wss:// URL is a stream over
WebSocket, RFC 7395: reguser ws://127.0.0.1:5280/xmpp-websocket --domain localhost ...):
  --domain DOMAIN     the server's XMPP domain when it differs from the host
  --tls MODE          auto (default: STARTTLS when offered), starttls (required), direct, none
  --ca FILE           trust the CA certificate(s) in this PEM file (a self-signed server)
  --insecure          allow a plaintext password over an unencrypted connection to a
                      non-loopback host (refused by default)
  --legacy            send a stream header without version (jabberd 1.4, as in the book)
  --timeout MS        connect and reply timeout in milliseconds (default 10000)
  --local-address IP  connect from this address (servers throttle registrations per address)
  --json              machine-readable output: one JSON object on stdout
  -h, --help          this help`;

/** `only`: book and bulk, where --admin is the fallback and --admin-only skips the in-band attempt. */
const admin = (only: boolean) => `Admin path, for servers with in-band registration off:
  --admin BACKEND          xep0133 (an admin account's ad-hoc commands: Prosody, ejabberd),
                           openfire-userservice or openfire-restapi (Openfire's HTTP plugins)
  --admin-jid JID          xep0133: the admin account, in the accounts' domain (boss@example.org)
  --admin-url URL          Openfire: the admin console (http://openfire.example:9090)
  --admin-secret-env NAME  the environment variable holding the admin password or secret
                           (default REGUSER_ADMIN_PASSWORD for xep0133, REGUSER_ADMIN_SECRET for Openfire)
  --admin-password-stdin   read it from stdin instead, on the line after the account passwords${
    only ? "\n  --admin-only             skip the in-band attempt" : ""
  }
Neither: on a terminal, reguser prompts for it without echo. No flag takes the secret itself.`;

const FALLBACK = `Registration goes in-band first; when the server refuses registration as such (503, 403, 405,
501), reguser says so and creates the account through --admin instead ("(via admin)"; in JSON
"via": "admin"). A taken name is a 409 either way.`;

const EXIT_CODES = `Exit status: 0 done, 1 the server refused (or any bulk account failed), 2 usage error,
3 connection failed or timed out, 130 interrupted.`;

const PASSWORDS = `Passwords: --password-stdin reads them from stdin, one per line; otherwise, on a terminal,
reguser prompts without echo. They are never printed.`;

export const HELP: Record<CommandName, string> = {
  book: `Usage:
  Inquiry: reguser host[:port]
  Attempt: reguser host[:port] field1=value1 [fieldN=valueN] ...
           (also: reguser register host[:port] …)
  reguser passwd|remove|auth|bulk ...   (reguser help COMMAND)

Registers an account with XEP-0077 in-band registration, like the book's reguser script.
With only a host, asks the server which fields registration needs and prints them:
  $ reguser yak:5222
  [Inquiry] Fields: username password email name
With field=value pairs, tries to register:
  $ reguser yak username=joseph password=spinach 'name=Joseph Adams' email=joseph@yak
  [Attempt] (joseph) Successful registration
  $ reguser yak username=dj password=secret 'name=DJ Adams' email=dj@yak
  [Attempt] (dj) Error: 409 (Username Not Available)
The port defaults to 5222. password=... works but lands in your shell history: leave it
out and use --password-stdin, or answer the prompt.

Commands:
  passwd    change an account's password      reguser passwd host[:port] USERNAME
  remove    remove an account                 reguser remove host[:port] USERNAME
  auth      show login methods, try a login   reguser auth host[:port] USERNAME
  bulk      register many accounts            reguser bulk host[:port] --pattern 'user{001..500}'
  doctor    what stops registration, and why  reguser doctor host[:port] [--probe]

Options:
  --password-stdin    read the password from the first line of stdin
  --invite URI        register with this invite (xmpp:DOMAIN?register;preauth=TOKEN), on a server
                      where registration is by invitation only; a URI naming a user fixes the name
  --captcha-out FILE  where a CAPTCHA's image goes; the answer is then read like a password
  -V, --version       print the version

${CONNECTION}

${admin(true)}
${FALLBACK} With REGUSER_ADMIN_PASSWORD in the environment:
  $ reguser yak username=juliet --password-stdin --admin xep0133 --admin-jid boss@yak < pw.txt
  [Attempt] (juliet) In-band registration refused: 503 (Service unavailable); using --admin xep0133 as boss@yak
  [Attempt] (juliet) Successful registration (via admin)

${EXIT_CODES}`,

  passwd: `Usage: reguser passwd host[:port] USERNAME [options]

Logs in as USERNAME (jabber:iq:auth) and changes the password (XEP-0077 §3.3).
  $ reguser passwd yak joseph
  Current password for joseph:
  New password for joseph:
  Repeat the new password:
  [Passwd] (joseph) Password changed
With --password-stdin, the first line of stdin is the current password, the second the new one:
  $ printf '%s\\n%s\\n' "$OLD" "$NEW" | reguser passwd yak joseph --password-stdin

Options:
  --password-stdin    read the current, then the new password from stdin
  --method METHOD     login method: auto (default: the strongest offered), plain, digest, 0k
  --resource NAME     resource for the login (default reguser)

${CONNECTION}

${admin(false)}
With --admin there is no login as USERNAME: the admin sets the password, and only the new one
is read (--password-stdin: its first line).

${PASSWORDS}
${EXIT_CODES}`,

  remove: `Usage: reguser remove host[:port] USERNAME [options]

Logs in as USERNAME (jabber:iq:auth) and removes the account (XEP-0077 §3.2).
  $ reguser remove yak joseph --password-stdin < password.txt
  [Remove] (joseph) Account removed

Options:
  --password-stdin    read the password from the first line of stdin
  --method METHOD     login method: auto (default), plain, digest, 0k
  --resource NAME     resource for the login (default reguser)

${CONNECTION}

${admin(false)}
With --admin there is no login as USERNAME and no password of theirs: the admin deletes the account.

${PASSWORDS}
${EXIT_CODES}`,

  auth: `Usage: reguser auth host[:port] USERNAME [options]

Asks which jabber:iq:auth (XEP-0078) methods the server offers USERNAME, then tries a login.
  $ reguser auth yak joseph
  Password for joseph:
  [Auth] (joseph) Methods offered: digest plain
  [Auth] (joseph) Logged in as joseph@yak/reguser (digest)

Options:
  --methods-only      only list the offered methods; no password, no login
  --method METHOD     auto (default: 0k, then digest, then plain), plain, digest, 0k
  --resource NAME     resource for the login (default reguser)
  --password-stdin    read the password from the first line of stdin

${CONNECTION}

${PASSWORDS}
${EXIT_CODES}`,

  bulk: `Usage: reguser bulk host[:port] (--pattern PATTERN | --csv FILE) [options]

Registers many accounts on one connection, several requests in flight, and prints a summary:
  $ reguser bulk yak --pattern 'user{001..500}' --random-passwords --out users.csv --report report.json
  [Bulk] ok 498, failed 2 (ConflictError 2) in 1.4 s
PATTERN expands {A..B} ranges like a shell: user{001..500} is user001 … user500 (zero padding
kept), load{1..20} is load1 … load20; several ranges combine.
The CSV file has the columns username,password[,email,name], or a header row naming them
(username first; any other registration field may be a column). Quoted fields may hold commas,
quotes ("") and line breaks. It is read line by line, so any size works.

Passwords (one of; the CSV's password column wins where it has a value):
  --password-template T   a password per account from T, with {user} replaced by the username
  --random-passwords      a random password per account; needs --out, the only place they go
  --password-stdin        one password for every account, from the first line of stdin
  (none: on a terminal, reguser prompts for one password for every account)

Options:
  --pattern PATTERN       usernames from a pattern
  --csv FILE              accounts from a CSV file
  --out FILE              write username,password of every registered account (mode 600)
  --report FILE           per-account outcome (username, ok or the error; no passwords), a line
                          as each arrives: JSON Lines for FILE.jsonl (what --resume reads), JSON
                          for .json, else CSV
  --resume FILE.jsonl     go on from an interrupted run's report: accounts it has as ok are
                          skipped, failed ones tried again; outcomes (and --out) are appended.
                          Refused for a report of another domain
  --concurrency N         requests in flight per connection (default 64)
  --connections K         connections to spread the accounts over (default 1)
  --no-progress           no progress bar (shown on a terminal only, never with --json): done/total,
                          accounts per second over the last 5 s, ETA, failures and the commonest error

${CONNECTION}

${admin(true)}
${FALLBACK}
Once the server refuses one account, the rest go straight to the admin path (--concurrency at a
time, default 16 there; the first alone, so a wrong admin credential ends the run at once).

Ctrl-C stops sending; requests in flight still get their outcome (or time out), then reguser prints
the command that resumes (the same flags, --resume in place of --report). Ctrl-C again quits at once;
the report keeps every line written.
  $ reguser bulk yak --pattern 'user{001..500}' --password-stdin --report run.jsonl < pw.txt
  ^C
  reguser: interrupted: 230 outcomes of this run are in run.jsonl; …
    reguser bulk yak --pattern 'user{001..500}' --password-stdin --resume run.jsonl
  $ reguser bulk yak --pattern 'user{001..500}' --password-stdin --resume run.jsonl < pw.txt
  [Bulk] ok 270, failed 0, skipped 230 (ok in the report) in 0.6 s

Exit status: 0 all registered, 1 any account failed, 2 usage error, 3 the connection failed,
130 interrupted.`,

  doctor: `Usage: reguser doctor host[:port] [options]

Connects as a client would and reports, check by check, what registration meets there and what to
change: TLS (offered, used, certificate trusted), the register feature, the inquiry (fields, data
form, CAPTCHA, web registration, invites), the login methods, and the server software with the
setting to change on Prosody, ejabberd, jabberd2 and reguser-server.
  $ reguser doctor yak --probe
  [Doctor] server: Prosody 0.12.3
  [Doctor] ok   connection: connected to yak, domain yak
  …
  [Doctor] nothing blocks registration

Options:
  --probe             register two throwaway accounts one after the other (then remove them):
                      shows a throttle, an invite-only server, registration that is off

${CONNECTION}

Exit status: 0 nothing blocks registration, 1 something does (see FAIL), 2 usage error.`,

  help: `Usage: reguser help [COMMAND]

Prints the help of a command: passwd, remove, auth, bulk, doctor (no COMMAND: the book's form).`,
};

/** The whole help of a command (the book's form when `topic` is undefined). */
export function helpText(topic: CommandName | undefined): string {
  return `${HELP[topic ?? "book"]}\n`;
}

/** A usage error as printed: its one line, then where the whole help is. */
export function usageErrorText(message: string, command: CommandName | undefined): string {
  const help = command === undefined || command === "book" ? "reguser --help" : `reguser ${command} --help`;
  return `reguser: ${message}\nRun '${help}' for the usage.\n`;
}
