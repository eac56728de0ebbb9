// The sign-up page: username, e-mail address, name. Sending it mails the confirmation link, as `create` does.
import type { IncomingMessage } from "node:http";
import { parseForm, pickStrings } from "../api/parse-fields.js";
import { readBody } from "../api/read-body.js";
import { checkEmail } from "../fields/check-email.js";
import { checkName } from "../fields/check-name.js";
import { checkUsername } from "../fields/check-username.js";
import { startSignup } from "../flows/start-signup.js";
import { asGatewayError } from "../gateway-error.js";
import type { GatewayContext } from "../gateway-options.js";
import { escapeHtml } from "../mail/templates.js";
import { checkCsrf } from "./csrf.js";
import { alertBox, input, layout } from "./layout.js";
import type { PageResult } from "./page-result.js";

type Values = Partial<Record<"username" | "email" | "name", string>>;

/** The empty form (or the form again with `values` and an error). */
export function signupForm(ctx: GatewayContext, csrf: string, values: Values = {}, error?: string, field?: string) {
  return layout(
    "Create a chat account",
    `${alertBox(error)}
<form method="post" action="signup" novalidate${error ? ' aria-describedby="form-error"' : ""}>
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
${input({ name: "username", label: "Username", value: values.username, required: true, autocomplete: "username", hint: `Your address will be username@${ctx.domain}. Lower case.`, invalid: field === "username" })}
${input({ name: "email", label: "E-mail address", type: "email", value: values.email, required: true, autocomplete: "email", hint: "We send a link there: open it to choose your password.", invalid: field === "email" })}
${input({ name: "name", label: "Your name (optional)", value: values.name, autocomplete: "name", invalid: field === "name" })}
<p><button type="submit">Send me the link</button></p>
</form>`,
  );
}

/** POST /signup. */
export async function submitSignup(
  ctx: GatewayContext,
  request: IncomingMessage,
  ip: string,
  csrf: { field: string; secure: boolean },
): Promise<PageResult> {
  let values: Values = {};
  try {
    const text = await readBody(request, "application/x-www-form-urlencoded", {
      maxBytes: ctx.maxBodyBytes,
      timeout: ctx.bodyTimeout,
    });
    const form = pickStrings(parseForm(text), ["csrf", "username", "email", "name"], []);
    values = { username: form.username, email: form.email, name: form.name };
    checkCsrf(request, ctx.secret, csrf.secure, form.csrf);
    const username = checkUsername(form.username ?? "");
    const email = checkEmail(form.email ?? "");
    const name = form.name ? checkName(form.name) : undefined;
    await startSignup(ctx, { client: "page", ip }, { username, email, ...(name ? { name } : {}) });
    const sent = `<p class="done" role="status">Check your mail: we sent a link to ${escapeHtml(email)}. Open it
within ${Math.round(ctx.linkMs / 60_000)} minutes to choose your password for <b>${escapeHtml(username)}@${escapeHtml(ctx.domain)}</b>.</p>`;
    return { status: 200, html: layout("Check your mail", sent) };
  } catch (err) {
    const refusal = asGatewayError(err, "internal", "Something went wrong: try again later");
    return {
      status: refusal.status,
      html: signupForm(ctx, csrf.field, values, refusal.message, refusal.field),
      error: refusal,
    };
  }
}
