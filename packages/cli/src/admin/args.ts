// --admin BACKEND and its companions → AdminFlags, checked before anything is sent (usage errors, exit 2).
import type { CommandName } from "../commands.js";
import type { AdminFlags, ConnectFlags } from "../invocation.js";
import { ADMIN, ADMIN_BACKENDS, type OptionValues } from "../options.js";
import { UsageError } from "../usage-error.js";

/** Where the credential is looked for when --admin-secret-env names no other variable. */
export const DEFAULT_SECRET_ENV = {
  xep0133: "REGUSER_ADMIN_PASSWORD",
  "openfire-userservice": "REGUSER_ADMIN_SECRET",
  "openfire-restapi": "REGUSER_ADMIN_SECRET",
} as const satisfies Record<(typeof ADMIN_BACKENDS)[number], string>;

export function adminFlags(command: CommandName, values: OptionValues, connect: ConnectFlags): AdminFlags | undefined {
  const fail = (message: string) => new UsageError(message, command);
  const backend = values.admin;
  if (backend === undefined) {
    const stray = [...ADMIN, "admin-only" as const].find((name) => values[name] !== undefined);
    if (stray) throw fail(`--${stray} goes with --admin BACKEND (${ADMIN_BACKENDS.join(", ")})`);
    return undefined;
  }
  if (!isBackend(backend)) throw fail(`--admin must be one of ${ADMIN_BACKENDS.join(", ")}`);
  if (values.method !== undefined || values.resource !== undefined) {
    throw fail(
      `--${values.method === undefined ? "resource" : "method"} is for logging in as the user; --admin does not`,
    );
  }
  if (command === "remove" && values["password-stdin"]) {
    throw fail(
      "remove --admin needs no account password: the admin's comes from --admin-password-stdin or the environment",
    );
  }
  const secretEnv = values["admin-secret-env"] ?? DEFAULT_SECRET_ENV[backend];
  // Never echoed: a secret pasted here by mistake must not land in the error.
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(secretEnv)) {
    throw fail("--admin-secret-env takes the name of an environment variable (letters, digits, _), not a secret");
  }
  const common = {
    only: values["admin-only"] ?? false,
    secretEnv,
    secretStdin: values["admin-password-stdin"] ?? false,
  };
  if (backend === "xep0133") {
    if (values["admin-url"] !== undefined) throw fail("--admin-url goes with the Openfire backends, not xep0133");
    return { ...common, backend, username: adminUsername(values["admin-jid"], connect, fail) };
  }
  if (values["admin-jid"] !== undefined) throw fail(`--admin-jid goes with --admin xep0133, not ${backend}`);
  return { ...common, backend, url: adminUrl(values["admin-url"], backend, fail) };
}

/** `boss` or `boss@domain`, where domain is the one accounts are made in (the provisioner logs in there). */
function adminUsername(jid: string | undefined, connect: ConnectFlags, fail: (m: string) => UsageError): string {
  if (jid === undefined) throw fail("--admin xep0133 needs --admin-jid, the admin account (admin@example.org)");
  const match = /^([^@/\s]+)(?:@([^@/\s]+))?$/.exec(jid);
  if (!match) throw fail(`--admin-jid '${jid}' is not a bare JID (admin@example.org)`);
  const [, username = "", domain] = match;
  const served = connect.domain ?? connect.target.host;
  if (domain !== undefined && domain.toLowerCase() !== served.toLowerCase()) {
    throw fail(`--admin-jid ${jid}: the admin must be an account of ${served}, where the accounts are (see --domain)`);
  }
  return username;
}

function adminUrl(url: string | undefined, backend: string, fail: (m: string) => UsageError): string {
  if (url === undefined) throw fail(`--admin ${backend} needs --admin-url, the admin console (http://host:9090)`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail("--admin-url is not a URL (http://host:9090)");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw fail("--admin-url must be http: or https:");
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw fail("--admin-url takes no credentials, query or fragment: the secret comes from the environment or stdin");
  }
  return url;
}

function isBackend(value: string): value is (typeof ADMIN_BACKENDS)[number] {
  return (ADMIN_BACKENDS as readonly string[]).includes(value);
}
