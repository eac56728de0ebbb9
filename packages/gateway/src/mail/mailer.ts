// Sending mail: the gateway needs one call. `smtpMailer` is nodemailer's SMTP transport; tests and the demo use a
// real SMTP server on 127.0.0.1 (smtp-server), never a stub of this interface.
import nodemailer from "nodemailer";

/** One message, already rendered. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where mail goes. `send` resolves once the server accepted the message. */
export interface Mailer {
  /** Send `mail`; rejects when the server refuses it or cannot be reached. */
  send(mail: OutgoingMail): Promise<void>;
  /** Release the connection to the server. */
  close(): Promise<void>;
}

/** Options of `smtpMailer`. */
export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; or give host and port. */
  url?: string;
  /** The SMTP server, when no `url` is given. */
  host?: string;
  /** Its port (default 587, or 465 with `secure`). */
  port?: number;
  /** Implicit TLS (port 465). STARTTLS is used when offered either way. */
  secure?: boolean;
  /** The SMTP login, when the server wants one. */
  auth?: { user: string; pass: string };
  /** The From header, e.g. `"Example Chat" <accounts@example.org>`. */
  from: string;
  /** Give up on the server after this many ms (default 20 000). */
  timeout?: number;
  /** PEM CA for the SMTP server's certificate; `rejectUnauthorized: false` only for tests. */
  ca?: string;
  /** `false` accepts any certificate: for tests only. */
  rejectUnauthorized?: boolean;
}

/** A Mailer over SMTP through nodemailer. Nothing is sent until `send`; the From header is checked now. */
export function smtpMailer(options: SmtpMailerOptions): Mailer {
  if (!options.from || /[\r\n]/.test(options.from)) {
    throw new TypeError("smtpMailer: from must be an address without line breaks, e.g. accounts@example.org");
  }
  if (!options.url && !options.host) throw new TypeError("smtpMailer: give url (smtp://host:port) or host");
  const timeout = options.timeout ?? 20_000;
  const tls = { ca: options.ca, rejectUnauthorized: options.rejectUnauthorized };
  const common = { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout, tls };
  const transport = nodemailer.createTransport(
    options.url
      ? { url: options.url, ...common }
      : { host: options.host, port: options.port, secure: options.secure ?? false, auth: options.auth, ...common },
  );
  return {
    async send(mail) {
      await transport.sendMail({ from: options.from, ...mail, disableFileAccess: true, disableUrlAccess: true });
    },
    async close() {
      transport.close();
    },
  };
}
