// A real SMTP server on 127.0.0.1 (smtp-server) that keeps what it receives: the gateway's tests read their mail
// from it, and `npm run gateway` prints each mail from it. It can refuse recipients, to stage a failed send.
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One mail as the sink received it. */
export interface SunkMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** The first http(s) URL in the text, if any (a gateway link). */
  link: string | undefined;
}

export interface SmtpSink {
  readonly host: string;
  readonly port: number;
  /** `smtp://127.0.0.1:PORT` */
  readonly url: string;
  readonly mails: readonly SunkMail[];
  /** The next mail to `to` not returned before (waits up to `timeout` ms). */
  next(to: string, timeout?: number): Promise<SunkMail>;
  /** Refuse every recipient matching `pattern` with a 550 from now on (undefined: accept all again). */
  refuse(pattern: RegExp | undefined): void;
  stop(): Promise<void>;
}

/** Start a sink; `onMail` sees each mail as it arrives. */
export async function startSmtpSink(onMail?: (mail: SunkMail) => void): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  const taken = new Set<SunkMail>();
  const waiters = new Set<() => void>();
  let refused: RegExp | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (refused?.test(address.address)) {
        const err = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const text = parsed.text ?? "";
          const mail: SunkMail = {
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            subject: parsed.subject ?? "",
            text,
            html: typeof parsed.html === "string" ? parsed.html : "",
            link: /https?:\/\/\S+/.exec(text)?.[0],
          };
          mails.push(mail);
          onMail?.(mail);
          for (const wake of waiters) wake();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  server.on("error", () => {});
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: "127.0.0.1",
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refuse(pattern) {
      refused = pattern;
    },
    async next(to, timeout = 20_000) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const found = mails.find((m) => !taken.has(m) && m.to.includes(to));
        if (found) {
          taken.add(found);
          return found;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no mail to ${to} within ${timeout} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
