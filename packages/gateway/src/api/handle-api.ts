// The seed's JSON API: POST { token, action: "create" | "reset_pass", username, email, name }. 200 on success,
// a typed JSON error otherwise (gateway-error.ts).
import type { IncomingMessage } from "node:http";
import { GATEWAY_ACTIONS, type GatewayAction } from "../client-tokens.js";
import { checkEmail } from "../fields/check-email.js";
import { checkName } from "../fields/check-name.js";
import { checkUsername } from "../fields/check-username.js";
import { startReset } from "../flows/start-reset.js";
import { startSignup } from "../flows/start-signup.js";
import { GatewayError } from "../gateway-error.js";
import type { GatewayContext } from "../gateway-options.js";
import { parseJson, pickStrings } from "./parse-fields.js";
import { readBody } from "./read-body.js";

const FIELDS = ["token", "action", "username", "email", "name"] as const;

/** What a successful call answers. */
export interface ApiSuccess {
  status: "ok";
  action: GatewayAction;
  message: string;
}

/** Handle one API request; rejects with a GatewayError for every refusal. */
export async function handleApi(
  ctx: GatewayContext,
  request: IncomingMessage,
  ip: string,
  background: (work: Promise<void>) => void,
): Promise<ApiSuccess> {
  const text = await readBody(request, "application/json", { maxBytes: ctx.maxBodyBytes, timeout: ctx.bodyTimeout });
  const body = pickStrings(parseJson(text), FIELDS, ["token", "action", "username"]);
  const client = ctx.matchToken(body.token);
  const action = body.action as GatewayAction;
  if (!GATEWAY_ACTIONS.includes(action)) {
    throw new GatewayError("bad_request", "The action must be create or reset_pass", { field: "action" });
  }
  if (!client.actions.includes(action)) {
    throw new GatewayError("forbidden", `This client token may not ${action}`, { field: "action" });
  }
  const who = { client: client.id, tokenLimit: client.limit, ip };
  const username = checkUsername(body.username as string);
  const name = body.name === undefined ? undefined : checkName(body.name);
  if (action === "create") {
    if (!body.email) throw new GatewayError("bad_request", "The email is required", { field: "email" });
    const email = checkEmail(body.email);
    await startSignup(ctx, who, { username, email, ...(name ? { name } : {}) });
    const message = ctx.temporaryPassword
      ? "The account was created and its temporary password mailed"
      : "A link to choose a password and create the account was mailed";
    return { status: "ok", action, message };
  }
  // The address in a reset request is checked but never used: the link goes to the one on record.
  if (body.email !== undefined) checkEmail(body.email);
  await startReset(ctx, who, username, background);
  return {
    status: "ok",
    action,
    message: "If the gateway created this account, a mail went to the address it was created with",
  };
}
