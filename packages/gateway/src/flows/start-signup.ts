// `create`, from the JSON API or the sign-up page: a signed, single-use link to the address; the account is made
// only when the link is opened and a password chosen (redeem-link.ts). The name is held while the link is pending,
// and a failed mail leaves nothing behind.
import { ConflictError } from "@reguser/errors";
import { GatewayError } from "../gateway-error.js";
import { errorDetail } from "../gateway-event.js";
import type { GatewayContext } from "../gateway-options.js";
import { newLinkToken, storeKey } from "../link-token.js";
import { countHits } from "../rate-limits.js";
import { linkUrl, sendAccountMail, temporaryPassword } from "./send-link-mail.js";
import type { Requester } from "./who.js";

/** What the sign-up asks for, already checked (checkUsername, checkEmail, checkName). */
export interface SignupRequest {
  username: string;
  email: string;
  name?: string;
}

/** Start a sign-up; resolves once the mail is accepted by the SMTP server. */
export async function startSignup(ctx: GatewayContext, who: Requester, request: SignupRequest): Promise<void> {
  const now = ctx.now();
  await countHits(
    ctx.store,
    [
      { kind: "perToken", key: who.client, limit: who.tokenLimit ?? ctx.limits.perToken },
      { kind: "perIp", key: who.ip, limit: ctx.limits.perIp },
      { kind: "perUsername", key: request.username, limit: ctx.limits.perUsername },
      { kind: "perEmail", key: request.email.toLowerCase(), limit: ctx.limits.perEmail },
    ],
    now,
  );
  if (await userExists(ctx, request.username)) throw taken(request.username);
  if (ctx.temporaryPassword) return createWithTemporaryPassword(ctx, who, request);

  const expiresAt = now + ctx.linkMs;
  const token = newLinkToken(ctx.secret, expiresAt);
  const id = storeKey(token);
  if (!(await ctx.store.reserveUsername(request.username, id, expiresAt, now))) throw taken(request.username);
  await ctx.store.putLink(id, { purpose: "create", ...request, client: who.client, expiresAt });
  try {
    await sendAccountMail(ctx, ctx.templates.create, request, { link: linkUrl(ctx, token) });
  } catch (err) {
    await ctx.store.takeLink(id, now);
    await ctx.store.releaseUsername(request.username, id);
    ctx.log({ type: "mail_failed", client: who.client, username: request.username, detail: errorDetail(err) });
    throw new GatewayError("mail_failed", "The confirmation mail could not be sent: nothing was created", {
      cause: err,
    });
  }
  ctx.log({ type: "signup_link_sent", client: who.client, username: request.username, status: 200 });
}

/** The seed's mode: the account now, its random password by mail; removed again if the mail fails. */
async function createWithTemporaryPassword(ctx: GatewayContext, who: Requester, request: SignupRequest) {
  const password = temporaryPassword();
  await createAccount(ctx, who, { ...request, password });
  try {
    await sendAccountMail(ctx, ctx.templates.createPassword, request, { password });
  } catch (err) {
    ctx.log({ type: "mail_failed", client: who.client, username: request.username, detail: errorDetail(err) });
    await ctx.provisioner.removeUser(request.username).catch((removal: unknown) => {
      ctx.log({ type: "backend_failed", client: who.client, username: request.username, detail: errorDetail(removal) });
    });
    await ctx.store.forgetAccount(request.username);
    throw new GatewayError("mail_failed", "The mail could not be sent: the account was removed again", { cause: err });
  }
  ctx.log({ type: "temporary_password_sent", client: who.client, username: request.username, status: 200 });
}

/** Create the account through the provisioner and record its address; a taken name is a `taken` GatewayError. */
export async function createAccount(
  ctx: GatewayContext,
  who: Requester,
  account: SignupRequest & { password: string },
): Promise<void> {
  try {
    const { username, password, email, name } = account;
    await ctx.provisioner.createUser({ username, password, email, ...(name ? { name } : {}) });
  } catch (err) {
    if (err instanceof ConflictError) throw taken(account.username);
    ctx.log({ type: "backend_failed", client: who.client, username: account.username, detail: errorDetail(err) });
    throw new GatewayError("backend_failed", "The XMPP server could not create the account", { cause: err });
  }
  await ctx.store.recordAccount(account.username, { email: account.email, name: account.name });
  ctx.log({ type: "account_created", client: who.client, username: account.username, status: 200 });
}

async function userExists(ctx: GatewayContext, username: string): Promise<boolean> {
  if (!ctx.provisioner.userExists) return false;
  try {
    return await ctx.provisioner.userExists(username);
  } catch (err) {
    throw new GatewayError("backend_failed", "The XMPP server could not be asked about the name", { cause: err });
  }
}

const taken = (username: string) =>
  new GatewayError("taken", `The username ${username} is taken`, { field: "username" });
