// The --help text, written from the flag table so that every flag is listed.
import { FLAGS, type Flag } from "./flags.js";

const INTRO = `Usage: reguser-server [options]

Runs the embedded XMPP server of @reguser/server in the foreground, for tests and examples (not
for production): jabber:iq:register (XEP-0077) and jabber:iq:auth (XEP-0078, with the book's 0k)
as the book's jabberd 1.4 answered them, SASL SCRAM-SHA-1 and PLAIN, STARTTLS with a certificate.
Prints where it listens; Ctrl-C (SIGINT) or SIGTERM closes it.

  $ reguser-server --port 5222 --domain localhost
  reguser-server listening on 127.0.0.1:5222 (domain localhost)

Options:`;

const OUTRO = `Lists are comma-separated. Exit status: 0 stopped by a signal (or --help), 1 could not start
(the port is taken, a bad store file), 2 usage error.`;

/** The whole help: every flag with its argument and what it does. */
export function helpText(): string {
  const entries = Object.entries(FLAGS).map(([name, flag]: [string, Flag]) => {
    const short = name === "help" ? "-h, " : "";
    return [`${short}--${name}${flag.value ? ` ${flag.value}` : ""}`, flag.help] as const;
  });
  const width = Math.max(...entries.map(([left]) => left.length)) + 2;
  const lines = entries.map(([left, help]) => `  ${left.padEnd(width)}${help}`);
  return `${INTRO}\n${lines.join("\n")}\n\n${OUTRO}\n`;
}
