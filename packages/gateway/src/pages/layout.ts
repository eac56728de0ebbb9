// The pages' frame: plain HTML, one stylesheet and one small script from the gateway itself (the CSP allows
// nothing else), readable without either.
import { escapeHtml } from "../mail/templates.js";

/** A whole page around `main` (already HTML). Asset paths are relative, so a gateway under a path prefix works. */
export function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="assets/gateway.css">
<script src="assets/gateway.js" defer></script>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${main}
</main>
</body>
</html>
`;
}

/** An error message the screen reader announces, or nothing. */
export function alertBox(message: string | undefined): string {
  return message ? `<p class="error" role="alert" id="form-error">${escapeHtml(message)}</p>` : "";
}

/** A labelled text input; `error` marks it invalid and points at the form's alert. */
export function input(options: {
  name: string;
  label: string;
  type?: string;
  value?: string;
  required?: boolean;
  autocomplete?: string;
  minlength?: number;
  hint?: string;
  invalid?: boolean;
}): string {
  const id = `field-${options.name}`;
  const attrs = [
    `id="${id}"`,
    `name="${escapeHtml(options.name)}"`,
    `type="${options.type ?? "text"}"`,
    options.value ? `value="${escapeHtml(options.value)}"` : "",
    options.required ? "required" : "",
    options.autocomplete ? `autocomplete="${options.autocomplete}"` : "",
    options.minlength ? `minlength="${options.minlength}"` : "",
    options.hint ? `aria-describedby="${id}-hint"` : "",
    options.invalid ? 'aria-invalid="true"' : "",
  ].filter(Boolean);
  const hint = options.hint ? `<small id="${id}-hint">${escapeHtml(options.hint)}</small>` : "";
  return `<p><label for="${id}">${escapeHtml(options.label)}</label>\n<input ${attrs.join(" ")}>${hint}</p>`;
}

export const STYLESHEET = `body{font-family:system-ui,sans-serif;margin:0;background:#f6f6f6;color:#111}
main{max-width:28rem;margin:3rem auto;padding:1.5rem 2rem;background:#fff;border-radius:.5rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
small{display:block;color:#555;margin-top:.25rem}
button{padding:.6rem 1.2rem;font-size:1rem}
.error{color:#a00;font-weight:600}
.done{color:#060;font-weight:600}
`;

/** Checks that both passwords match before the form is sent (the server checks again). */
export const SCRIPT = `document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-confirm]");
  if (!form) return;
  const password = form.querySelector("#field-password");
  const confirm = form.querySelector("#field-confirm");
  const check = () => confirm.setCustomValidity(confirm.value === password.value ? "" : "The passwords differ");
  password.addEventListener("input", check);
  confirm.addEventListener("input", check);
});
`;
