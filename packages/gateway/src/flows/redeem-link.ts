// Opening a mailed link and choosing a password: the link is taken from the store atomically, so of two browsers
// submitting it at once exactly one creates the account; a backend failure puts the link back for another try.
import { ItemNotFoundError } from "@reguser/errors";
import { checkPassword } from "@reguser/register";
import { GatewayError } from "../gateway-error.js";
import { errorDetail } from "../gateway-event.js";
import type { GatewayContext } from "../gateway-options.js";
import { storeKey, verifyLinkToken } from "../link-token.js";
import type { PendingLink } from "../store/gateway-store.js";
import { createAccount } from "./start-signup.js";

const MAX_PASSWORD_LENGTH = 1024;

/** The pending link `token` opens, without using it; a GatewayError (`link_used`, 404) when it opens none. */
export async function openLink(ctx: GatewayContext, token: unknown): Promise<PendingLink> {
  const now = ctx.now();
  const checked = verifyLinkToken(ctx.secret, token, now);
  if (!checked.ok) throw unusable(checked.reason);
  const link = await ctx.store.peekLink(storeKey(token as string), now);
  if (!link) throw unusable("used");
  return link;
}

/** Use the link `token` to create the account or set its password. Resolves with what was done. */
export async function redeemLink(ctx: GatewayContext, token: unknown, password: string): Promise<PendingLink> {
  const now = ctx.now();
  const checked = verifyLinkToken(ctx.secret, token, now);
  if (!checked.ok) throw unusable(checked.reason);
  await checkNewPassword(ctx, password);
  const id = storeKey(token as string);
  const link = await ctx.store.takeLink(id, now);
  if (!link) throw unusable("used");
  const who = { client: link.client, ip: "" };
  try {
    if (link.purpose === "create") {
      await createAccount(ctx, who, { username: link.username, email: link.email, name: link.name, password });
    } else {
      await ctx.provisioner.changePassword({ username: link.username, password });
      ctx.log({ type: "password_set", client: link.client, username: link.username, status: 200 });
    }
  } catch (err) {
    if (err instanceof GatewayError && err.code === "taken") {
      await ctx.store.releaseUsername(link.username, id);
      throw err;
    }
    if (err instanceof ItemNotFoundError) {
      await ctx.store.forgetAccount(link.username);
      throw new GatewayError("not_found", "This account no longer exists", { cause: err });
    }
    // Transient: the link works again until it expires.
    await ctx.store.putLink(id, link);
    if (!(err instanceof GatewayError)) {
      ctx.log({ type: "backend_failed", client: link.client, username: link.username, detail: errorDetail(err) });
    }
    throw err instanceof GatewayError
      ? err
      : new GatewayError("backend_failed", "The XMPP server could not set the password: try again", { cause: err });
  }
  if (link.purpose === "create") await ctx.store.releaseUsername(link.username, id);
  return link;
}

async function checkNewPassword(ctx: GatewayContext, password: string): Promise<void> {
  if (password.length < ctx.minPasswordLength) {
    throw new GatewayError("bad_request", `The password must have at least ${ctx.minPasswordLength} characters`, {
      field: "password",
    });
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new GatewayError("bad_request", `The password may have at most ${MAX_PASSWORD_LENGTH} characters`, {
      field: "password",
    });
  }
  try {
    await checkPassword(password);
  } catch (err) {
    throw new GatewayError("bad_request", (err as Error).message, { field: "password", cause: err });
  }
}

function unusable(reason: "malformed" | "forged" | "expired" | "used"): GatewayError {
  return reason === "expired"
    ? new GatewayError("link_used", "This link has expired: ask for a new one")
    : reason === "used"
      ? new GatewayError("link_used", "This link was used already or has expired: ask for a new one")
      : new GatewayError("not_found", "This is not a valid link");
}
