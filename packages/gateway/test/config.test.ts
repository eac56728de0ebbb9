import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashClientToken, newClientToken } from "../src/client-tokens.js";
import { parseClientTokens } from "../src/config/build-gateway.js";
import { GatewayConfigError, readSettings } from "../src/config/read-settings.js";
import { SETTINGS, settingsHelp } from "../src/config/settings.js";

const dir = mkdtempSync(join(tmpdir(), "reguser-gateway-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const file = (text: string) => {
  const path = join(dir, `file-${++files}`);
  writeFileSync(path, text);
  return path;
};
const config = (settings: unknown) => file(JSON.stringify(settings));

/** The GatewayConfigError `run` throws. */
function refusal(run: () => unknown): GatewayConfigError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayConfigError);
    return err as GatewayConfigError;
  }
  throw new Error("expected a GatewayConfigError");
}

describe("readSettings", () => {
  it("reads REGUSER_GATEWAY_* and ignores every other variable", () => {
    const values = readSettings({ REGUSER_GATEWAY_DOMAIN: "example.org", HOME: "/root", REGUSER_OTHER: "x" });
    expect(values).toEqual({ DOMAIN: "example.org" });
  });

  it("takes the --config file's keys, as strings, with the environment winning", () => {
    const path = config({ DOMAIN: "file.example", PORT: 8081, SIGNUP_PAGE: false, MAIL_FROM: "file@example.org" });
    const values = readSettings({ REGUSER_GATEWAY_MAIL_FROM: "env@example.org" }, path);
    expect(values).toEqual({
      DOMAIN: "file.example",
      PORT: "8081",
      SIGNUP_PAGE: "false",
      MAIL_FROM: "env@example.org",
    });
  });

  it("counts an empty value as not given, so it neither wins over the file nor hides a default", () => {
    const path = config({ HOST: "0.0.0.0", DOMAIN: "" });
    expect(readSettings({ REGUSER_GATEWAY_HOST: "", REGUSER_GATEWAY_PORT: "" }, path)).toEqual({ HOST: "0.0.0.0" });
  });

  it("reads a secret from NAME_FILE, trimmed, from either source; the environment's wins", () => {
    const secret = file("  the secret from a file, and 32 bytes long  \n");
    const admin = file("admin-password\n");
    expect(readSettings({ REGUSER_GATEWAY_SECRET_FILE: secret })).toEqual({
      SECRET: "the secret from a file, and 32 bytes long",
    });
    const path = config({ ADMIN_PASSWORD_FILE: admin, SECRET: "from the config file" });
    expect(readSettings({ REGUSER_GATEWAY_SECRET_FILE: secret }, path)).toEqual({
      ADMIN_PASSWORD: "admin-password",
      SECRET: "the secret from a file, and 32 bytes long",
    });
  });

  it("accepts NAME_FILE for exactly the secrets", () => {
    const secrets = SETTINGS.filter((s) => "secret" in s && s.secret).map((s) => s.name);
    expect(secrets).toEqual(["SECRET", "ADMIN_PASSWORD", "OPENFIRE_SECRET", "STORE", "SMTP_URL"]);
    const path = file("value");
    for (const name of secrets)
      expect(readSettings({ [`REGUSER_GATEWAY_${name}_FILE`]: path })).toEqual({ [name]: "value" });
    const err = refusal(() => readSettings({ REGUSER_GATEWAY_DOMAIN_FILE: path }));
    expect(err.message).toBe("REGUSER_GATEWAY_DOMAIN_FILE: unknown setting (reguser-gateway --help lists them)");
  });

  it("refuses a NAME_FILE it cannot read, naming it and the path", () => {
    const err = refusal(() => readSettings({ REGUSER_GATEWAY_SMTP_URL_FILE: join(dir, "missing") }));
    expect(err.message).toBe(`REGUSER_GATEWAY_SMTP_URL_FILE: cannot read ${join(dir, "missing")} (ENOENT)`);
    const path = config({ SECRET_FILE: dir });
    expect(refusal(() => readSettings({}, path)).message).toBe(
      `--config ${path}: SECRET_FILE: cannot read ${dir} (EISDIR)`,
    );
  });

  it("refuses a secret given both as NAME and NAME_FILE in one source", () => {
    const err = refusal(() =>
      readSettings({ REGUSER_GATEWAY_SECRET: "a secret value", REGUSER_GATEWAY_SECRET_FILE: file("another") }),
    );
    expect(err.message).toBe("REGUSER_GATEWAY_SECRET_FILE: give SECRET or SECRET_FILE, not both");
    expect(err.message).not.toContain("a secret value");
  });

  it("refuses an unknown name in the environment or the file, never showing its value", () => {
    const env = refusal(() => readSettings({ REGUSER_GATEWAY_SECRTE: "typo-secret" }));
    expect(env.message).toBe("REGUSER_GATEWAY_SECRTE: unknown setting (reguser-gateway --help lists them)");
    const path = config({ DOMAIN: "example.org", SECRTE: "typo-secret" });
    expect(refusal(() => readSettings({}, path)).message).toBe(
      `--config ${path}: SECRTE: unknown setting (reguser-gateway --help lists them)`,
    );
    const prefixed = config({ REGUSER_GATEWAY_DOMAIN: "example.org" });
    expect(refusal(() => readSettings({}, prefixed)).message).toContain("write it without the REGUSER_GATEWAY_ prefix");
  });

  it("refuses a --config file that is missing, not JSON or not an object, without quoting it", () => {
    const missing = join(dir, "none.json");
    expect(refusal(() => readSettings({}, missing)).message).toBe(`--config ${missing}: cannot read it (ENOENT)`);
    const broken = file('{ "SECRET": the-secret-itself }');
    const err = refusal(() => readSettings({}, broken));
    expect(err.message).toBe(`--config ${broken}: not valid JSON`);
    for (const text of ["[]", "null", '"DOMAIN"']) {
      expect(refusal(() => readSettings({}, file(text))).message).toMatch(/must hold a JSON object of settings$/);
    }
    const nested = config({ CLIENT_TOKENS: ["a:b"] });
    expect(refusal(() => readSettings({}, nested)).message).toBe(
      `--config ${nested}: CLIENT_TOKENS: must be a string, number or boolean`,
    );
  });
});

describe("parseClientTokens", () => {
  const a = hashClientToken("token-a");
  const b = hashClientToken("token-b");

  it("reads id:sha256[:actions], comma-separated, with both actions by default", () => {
    expect(parseClientTokens(` android:${a} , web:${b.toUpperCase()}:create ,`)).toEqual([
      { id: "android", sha256: a, actions: ["create", "reset_pass"] },
      { id: "web", sha256: b, actions: ["create"] },
    ]);
    expect(parseClientTokens(`ops:${a}:reset_pass+create`)).toEqual([
      { id: "ops", sha256: a, actions: ["reset_pass", "create"] },
    ]);
  });

  it("takes what new-token prints", () => {
    const { sha256 } = newClientToken();
    expect(parseClientTokens(`app1:${sha256}`)).toEqual([{ id: "app1", sha256, actions: ["create", "reset_pass"] }]);
  });

  it("refuses a bad entry by its number or id, never echoing the entry (it may be a pasted token)", () => {
    const token = newClientToken().token;
    const cases: Array<[string, string]> = [
      ["", "needs at least one entry id:sha256"],
      [" , ", "needs at least one entry id:sha256"],
      [token, "entry 1 has no digest (each entry is id:sha256[:create+reset_pass])"],
      [`ok:${a},${token}`, "entry 2 has no digest"],
      [`:${a}`, "entry 1 needs an id of letters, digits"],
      [`${token}${token}${token}:${a}`, "entry 1 needs an id of letters, digits"],
      [`app:${token}`, "app needs the token's SHA-256 as 64 hex characters"],
      [`app:${a}:create:more`, "app has more than id:sha256:actions"],
      [`app:${a}:delete`, "app names an unknown action (create, reset_pass)"],
      [`app:${a}:`, "app names an unknown action"],
      [`app:${a},app:${b}`, "two entries share the id app"],
    ];
    for (const [text, message] of cases) {
      const err = refusal(() => parseClientTokens(text));
      expect(err.message).toContain(`REGUSER_GATEWAY_CLIENT_TOKENS`);
      expect(err.message).toContain(message);
      expect(err.message).not.toContain(token);
    }
  });
});

describe("settingsHelp", () => {
  it("lists every setting once, with its default, when it is required and NAME_FILE for a secret", () => {
    const help = settingsHelp();
    for (const setting of SETTINGS) {
      expect(help.match(new RegExp(`^  REGUSER_GATEWAY_${setting.name}$`, "gm"))).toHaveLength(1);
    }
    expect(help).toContain("(default 8080)");
    expect(help).toContain("(required; secret: or REGUSER_GATEWAY_SECRET_FILE)");
    expect(help).toContain("required for xep0133, ejabberd-http-api; secret: or REGUSER_GATEWAY_ADMIN_PASSWORD_FILE");
  });
});
