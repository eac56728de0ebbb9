// The test page's script, bundled for the browser from the packages' built dist/ (their `browser` condition): it
// registers, meets a 409, logs in with a digest, meets a password SASLprep refuses, changes the password to a
// non-ASCII one (SASLprep's tables load lazily, with no Buffer in the page), logs in with it on a second stream and
// removes the account, all over WebSocket, and leaves what happened in the page for the test to read.
import { authenticate } from "@reguser/auth";
import { ConflictError, PasswordPreparationError } from "@reguser/errors";
import { changePassword, inquire, register, removeAccount } from "@reguser/register";
import { openStream } from "@reguser/stream";

const params = new URLSearchParams(location.search);
const url = params.get("ws") ?? "";
const domain = params.get("domain") ?? "localhost";
const username = params.get("user") ?? "";
const password = params.get("password") ?? "";
const results = { steps: [] };
const step = (name, detail = {}) => results.steps.push({ name, ...detail });

try {
  const stream = await openStream({ url, domain, timeout: 20_000 });
  step("open", { transport: stream.transport, secure: stream.secure });
  step("inquire", { fields: (await inquire(stream)).fields });
  await register(stream, { username, password });
  step("register");
  const taken = await register(stream, { username, password: `${password}-other` }).catch((err) => err);
  step("conflict", {
    error: taken?.name,
    code: taken?.code,
    condition: taken?.condition,
    typed: taken instanceof ConflictError,
    message: String(taken?.message),
  });
  const session = await authenticate(stream, { username, password, resource: "page", method: "digest" });
  step("login", { jid: session.jid, method: session.method });
  // A soft hyphen: SASLprep maps it away, so no SASL login could ever match; refused before anything is sent.
  const refused = await changePassword(stream, { password: `${password}\u00ad` }).catch((err) => err);
  step("refused", { error: refused?.name, typed: refused instanceof PasswordPreparationError });
  const changed = `${password}-Grüße-密码`;
  await changePassword(stream, { password: changed });
  step("change");
  const again = await openStream({ url, domain, timeout: 20_000 });
  const second = await authenticate(again, { username, password: changed, resource: "again", method: "digest" });
  step("relogin", { jid: second.jid });
  await removeAccount(again);
  step("remove", { closed: again.closed });
  await stream.close();
} catch (err) {
  results.error = { name: err?.name, message: String(err?.message) };
}
// SASLprep's tables ran without putting a Buffer into the page.
results.bufferGlobal = typeof globalThis.Buffer;
document.getElementById("out").textContent = JSON.stringify(results, null, 1);
globalThis.__results = results;
