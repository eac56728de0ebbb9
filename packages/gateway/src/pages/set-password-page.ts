// The page a mailed link opens: choose a password (twice). Opening it uses nothing, so a mail scanner that fetches
// the link spends nothing; sending the form takes the link (redeem-link.ts).
import type { IncomingMessage } from "node:http";
import { parseForm, pickStrings } from "../api/parse-fields.js";
import { readBody } from "../api/read-body.js";
import { openLink, redeemLink } from "../flows/redeem-link.js";
import { asGatewayError, GatewayError } from "../gateway-error.js";
import type { GatewayContext } from "../gateway-options.js";
import { escapeHtml } from "../mail/templates.js";
import type { PendingLink } from "../store/gateway-store.js";
import { checkCsrf } from "./csrf.js";
import { alertBox, input, layout } from "./layout.js";
import type { PageResult } from "./page-result.js";

const title = (link: PendingLink) => (link.purpose === "create" ? "Choose your password" : "Choose a new password");

function form(ctx: GatewayContext, link: PendingLink, token: string, csrf: string, error?: string) {
  const jid = `${link.username}@${ctx.domain}`;
  return layout(
    title(link),
    `<p>For <b>${escapeHtml(jid)}</b>.</p>
${alertBox(error)}
<form method="post" action="set-password" data-confirm${error ? ' aria-describedby="form-error"' : ""}>
<input type="hidden" name="t" value="${escapeHtml(token)}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<input type="text" name="username" value="${escapeHtml(link.username)}" autocomplete="username" hidden>
${input({ name: "password", label: "Password", type: "password", required: true, autocomplete: "new-password", minlength: ctx.minPasswordLength, hint: `At least ${ctx.minPasswordLength} characters.`, invalid: Boolean(error) })}
${input({ name: "confirm", label: "The same password again", type: "password", required: true, autocomplete: "new-password", minlength: ctx.minPasswordLength })}
<p><button type="submit">${link.purpose === "create" ? "Create my account" : "Set the password"}</button></p>
</form>`,
  );
}

const failure = (error: GatewayError): PageResult => ({
  status: error.status,
  html: layout("This link does not work", `${alertBox(error.message)}<p><a href="signup">Start again</a></p>`),
  error,
});

/** GET /set-password?t=… */
export async function showSetPassword(ctx: GatewayContext, token: string | null, csrf: string): Promise<PageResult> {
  try {
    const link = await openLink(ctx, token);
    return { status: 200, html: form(ctx, link, token as string, csrf) };
  } catch (err) {
    return failure(asGatewayError(err, "internal", "Something went wrong: try again later"));
  }
}

/** POST /set-password. */
export async function submitSetPassword(
  ctx: GatewayContext,
  request: IncomingMessage,
  csrf: { field: string; secure: boolean },
): Promise<PageResult> {
  let token: string | undefined;
  try {
    const text = await readBody(request, "application/x-www-form-urlencoded", {
      maxBytes: ctx.maxBodyBytes,
      timeout: ctx.bodyTimeout,
    });
    const fields = pickStrings(parseForm(text), ["t", "csrf", "username", "password", "confirm"], ["t"]);
    token = fields.t;
    checkCsrf(request, ctx.secret, csrf.secure, fields.csrf);
    if ((fields.password ?? "") !== (fields.confirm ?? "")) {
      throw new GatewayError("bad_request", "The two passwords differ", { field: "password" });
    }
    const link = await redeemLink(ctx, token, fields.password ?? "");
    const jid = `${link.username}@${ctx.domain}`;
    const done =
      link.purpose === "create"
        ? `<p class="done" role="status">Your account <b>${escapeHtml(jid)}</b> is ready: log in with your chat app.</p>`
        : `<p class="done" role="status">The password of <b>${escapeHtml(jid)}</b> is set: log in with it.</p>`;
    return { status: 200, html: layout("Done", done) };
  } catch (err) {
    const refusal = asGatewayError(err, "internal", "Something went wrong: try again later");
    // A password the server refused, or a form that expired: the link still works, so show the form again.
    if (token && (refusal.field === "password" || refusal.code === "forbidden" || refusal.code === "backend_failed")) {
      const link = await openLink(ctx, token).catch(() => undefined);
      if (link)
        return { status: refusal.status, html: form(ctx, link, token, csrf.field, refusal.message), error: refusal };
    }
    return failure(refusal);
  }
}
