// The mails the gateway sends, as templates with {placeholders}: {name}, {username}, {jid}, {link} (or {password}
// in the temporary-password mode) and {minutes}. Values are escaped for HTML; a subject is one line.

/** Subject, text and HTML of one kind of mail. */
export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

/** One template per mail the gateway sends. */
export interface MailTemplates {
  /** The sign-up link: open it to choose a password and create the account. */
  create: MailTemplate;
  /** The reset link: open it to choose a new password. */
  reset: MailTemplate;
  /** The temporary-password mode's sign-up mail (off by default): carries {password}. */
  createPassword: MailTemplate;
  /** The temporary-password mode's reset mail: carries {password}. */
  resetPassword: MailTemplate;
}

const html = (body: string) =>
  `<!doctype html><html><body style="font-family:sans-serif">${body}<p style="color:#666">If you did not ask for this, ignore this mail.</p></body></html>`;

export const DEFAULT_TEMPLATES: MailTemplates = {
  create: {
    subject: "Confirm your chat account {jid}",
    text: "Hello {name},\n\nopen this link within {minutes} minutes to choose a password and create {jid}:\n\n{link}\n\nIf you did not ask for this, ignore this mail.\n",
    html: html(
      '<p>Hello {name},</p><p>open <a href="{link}">this link</a> within {minutes} minutes to choose a password and create <b>{jid}</b>.</p>',
    ),
  },
  reset: {
    subject: "Choose a new password for {jid}",
    text: "Hello {name},\n\nopen this link within {minutes} minutes to choose a new password for {jid}:\n\n{link}\n\nIf you did not ask for this, ignore this mail: your password stays as it is.\n",
    html: html(
      '<p>Hello {name},</p><p>open <a href="{link}">this link</a> within {minutes} minutes to choose a new password for <b>{jid}</b>.</p>',
    ),
  },
  createPassword: {
    subject: "Your chat account {jid}",
    text: "Hello {name},\n\nyour account {jid} was created with this temporary password:\n\n{password}\n\nChange it when you first log in.\n",
    html: html(
      "<p>Hello {name},</p><p>your account <b>{jid}</b> was created with this temporary password:</p><p><code>{password}</code></p><p>Change it when you first log in.</p>",
    ),
  },
  resetPassword: {
    subject: "A new password for {jid}",
    text: "Hello {name},\n\nthe password of {jid} is now:\n\n{password}\n\nChange it when you next log in.\n",
    html: html(
      "<p>Hello {name},</p><p>the password of <b>{jid}</b> is now:</p><p><code>{password}</code></p><p>Change it when you next log in.</p>",
    ),
  },
};

/** The values a template may name. */
export type TemplateValues = Partial<Record<"name" | "username" | "jid" | "link" | "password" | "minutes", string>>;

/** `template` with `values` filled in; an unknown {placeholder} stays as written. Throws if the subject breaks a line. */
export function renderMail(template: MailTemplate, values: TemplateValues): MailTemplate {
  const fill = (text: string, encode: (s: string) => string) =>
    text.replace(/\{(\w+)\}/g, (whole, key: string) => {
      const value = (values as Record<string, string | undefined>)[key];
      return value === undefined ? whole : encode(value);
    });
  const subject = fill(template.subject, (s) => s);
  if (/[\r\n]/.test(subject)) throw new TypeError("renderMail: a subject may not contain a line break");
  return { subject, text: fill(template.text, (s) => s), html: fill(template.html, escapeHtml) };
}

/** `text` safe inside HTML text and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
