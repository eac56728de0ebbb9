// `reset_pass`: a link (or, in the temporary-password mode, a new password) goes only to the address the gateway
// recorded when it created the account, never to one taken from the request. The answer is the same whether or
// not the account is on record, and comes before the mail is sent, so its timing tells nothing either.
import { GatewayError } from "../gateway-error.js";
import { errorDetail } from "../gateway-event.js";
import type { GatewayContext } from "../gateway-options.js";
import { newLinkToken, storeKey } from "../link-token.js";
import { countHits } from "../rate-limits.js";
import { linkUrl, sendAccountMail, temporaryPassword } from "./send-link-mail.js";
import type { Requester } from "./who.js";

/** Count the request against the limits, then leave the lookup and the mail to `background`. */
export async function startReset(
  ctx: GatewayContext,
  who: Requester,
  username: string,
  background: (work: Promise<void>) => void,
): Promise<void> {
  const now = ctx.now();
  await countHits(
    ctx.store,
    [
      { kind: "perToken", key: who.client, limit: who.tokenLimit ?? ctx.limits.perToken },
      { kind: "perIp", key: who.ip, limit: ctx.limits.perIp },
      { kind: "perUsername", key: username, limit: ctx.limits.perUsername },
    ],
    now,
  );
  background(
    sendReset(ctx, who, username, now).catch((err: unknown) => {
      ctx.log({ type: "mail_failed", client: who.client, username, detail: errorDetail(err) });
    }),
  );
}

async function sendReset(ctx: GatewayContext, who: Requester, username: string, now: number): Promise<void> {
  const record = await ctx.store.accountOf(username);
  if (!record) {
    ctx.log({ type: "reset_not_on_record", client: who.client, username });
    return;
  }
  // The per-address limit counts mails sent, so it cannot be used to learn whether an account is on record.
  await countHits(ctx.store, [{ kind: "perEmail", key: record.email.toLowerCase(), limit: ctx.limits.perEmail }], now);
  const to = { ...record, username };
  if (ctx.temporaryPassword) {
    const password = temporaryPassword();
    await ctx.provisioner.changePassword({ username, password });
    await sendAccountMail(ctx, ctx.templates.resetPassword, to, { password });
    ctx.log({ type: "temporary_password_sent", client: who.client, username });
    return;
  }
  const expiresAt = now + ctx.linkMs;
  const token = newLinkToken(ctx.secret, expiresAt);
  const id = storeKey(token);
  await ctx.store.putLink(id, { purpose: "reset", username, ...record, client: who.client, expiresAt });
  try {
    await sendAccountMail(ctx, ctx.templates.reset, to, { link: linkUrl(ctx, token) });
  } catch (err) {
    await ctx.store.takeLink(id, now);
    throw new GatewayError("mail_failed", "The reset mail could not be sent", { cause: err });
  }
  ctx.log({ type: "reset_link_sent", client: who.client, username });
}
