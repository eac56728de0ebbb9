// Mail one link (or, in the temporary-password mode, one password) to one address.
import { randomBytes } from "node:crypto";
import type { GatewayContext } from "../gateway-options.js";
import { type MailTemplate, renderMail } from "../mail/templates.js";

/** Render `template` for `username` and send it to `to`. `secret` is the link or password it carries. */
export async function sendAccountMail(
  ctx: GatewayContext,
  template: MailTemplate,
  to: { email: string; name?: string; username: string },
  secret: { link: string } | { password: string },
): Promise<void> {
  const values = {
    name: to.name || to.username,
    username: to.username,
    jid: `${to.username}@${ctx.domain}`,
    minutes: String(Math.round(ctx.linkMs / 60_000)),
    ...secret,
  };
  await ctx.mailer.send({ to: to.email, ...renderMail(template, values) });
}

/** The page a link opens: `publicUrl` + `/set-password?t=TOKEN`. */
export function linkUrl(ctx: GatewayContext, token: string): string {
  const url = new URL("set-password", ctx.publicUrl.href.endsWith("/") ? ctx.publicUrl : `${ctx.publicUrl.href}/`);
  url.searchParams.set("t", token);
  return url.href;
}

/** A random password for the temporary-password mode: 18 bytes, base64url (24 characters, SASLprep-safe). */
export function temporaryPassword(): string {
  return randomBytes(18).toString("base64url");
}
