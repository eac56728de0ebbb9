import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashClientToken } from "../src/client-tokens.js";
import { buildGateway } from "../src/config/build-gateway.js";
import { GatewayConfigError, type SettingValues } from "../src/config/read-settings.js";
import { createGateway } from "../src/create-gateway.js";

const dir = mkdtempSync(join(tmpdir(), "reguser-gateway-build-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = "a secret of thirty-two bytes or more, not shown";
const ADMIN_PASSWORD = "admin-password-not-shown";

/** A whole configuration: nothing is reached (the provisioner and the mailer connect on first use). */
const good = (): SettingValues => ({
  PUBLIC_URL: "https://accounts.example.org",
  DOMAIN: "example.org",
  SECRET,
  CLIENT_TOKENS: `app:${hashClientToken("t")}:create`,
  BACKEND: "xep0133",
  ADMIN_USERNAME: "boss",
  ADMIN_PASSWORD,
  SMTP_URL: "smtp://127.0.0.1:9",
  MAIL_FROM: "accounts@example.org",
  STORE: "sqlite::memory:",
});

async function refusal(values: SettingValues): Promise<string> {
  const err = await buildGateway(values).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(GatewayConfigError);
  const message = (err as Error).message;
  expect(message).not.toContain(SECRET);
  expect(message).not.toContain(ADMIN_PASSWORD);
  return message;
}

describe("buildGateway", () => {
  it("builds the options createGateway takes, with the defaults, and closes what it opened", async () => {
    const built = await buildGateway(good());
    try {
      expect(built).toMatchObject({ host: "127.0.0.1", port: 8080 });
      expect(built.options).toMatchObject({
        publicUrl: "https://accounts.example.org",
        domain: "example.org",
        clientTokens: [{ id: "app", actions: ["create"] }],
        linkMinutes: 30,
        temporaryPassword: false,
        signupPage: true,
        minPasswordLength: 10,
        trustProxy: false,
      });
      expect(built.options.templates).toBeUndefined();
      const gateway = createGateway(built.options);
      await gateway.close();
    } finally {
      await built.close();
    }
    await expect(built.options.store.peekLink("x", Date.now())).rejects.toThrow(/closed/);
  });

  it("reads the numbers, flags and files it is given", async () => {
    const templates = join(dir, "templates.json");
    writeFileSync(templates, JSON.stringify({ create: { subject: "S {username}", text: "T {link}", html: "H" } }));
    const built = await buildGateway({
      ...good(),
      HOST: "0.0.0.0",
      PORT: "0",
      LINK_MINUTES: "5",
      MIN_PASSWORD_LENGTH: "12",
      TEMPORARY_PASSWORD: "true",
      SIGNUP_PAGE: "false",
      TRUST_PROXY: "true",
      TEMPLATES_FILE: templates,
    });
    await built.close();
    expect(built).toMatchObject({ host: "0.0.0.0", port: 0 });
    expect(built.options).toMatchObject({
      linkMinutes: 5,
      minPasswordLength: 12,
      temporaryPassword: true,
      signupPage: false,
      trustProxy: true,
      templates: { create: { subject: "S {username}" } },
    });
  });

  it("names the first missing or bad setting, and shows no value", async () => {
    const cases: Array<[SettingValues, string]> = [
      [{ PUBLIC_URL: undefined }, "REGUSER_GATEWAY_PUBLIC_URL is required"],
      [{ PUBLIC_URL: "ftp://example.org" }, "REGUSER_GATEWAY_PUBLIC_URL must be a URL starting http:// or https://"],
      [{ DOMAIN: "a@example.org" }, "REGUSER_GATEWAY_DOMAIN must be an XMPP domain"],
      [{ SECRET: "too short" }, "REGUSER_GATEWAY_SECRET must be at least 32 bytes"],
      [{ CLIENT_TOKENS: "app" }, "REGUSER_GATEWAY_CLIENT_TOKENS: entry 1 has no digest"],
      [{ BACKEND: undefined }, "REGUSER_GATEWAY_BACKEND is required (xep0133, ejabberd-http-api"],
      [{ BACKEND: "prosody" }, "REGUSER_GATEWAY_BACKEND must be xep0133, ejabberd-http-api"],
      [{ ADMIN_PASSWORD: undefined }, "REGUSER_GATEWAY_ADMIN_PASSWORD is required for xep0133"],
      [{ XMPP_TLS: "maybe" }, "REGUSER_GATEWAY_XMPP_TLS must be auto, starttls, direct or none"],
      [{ XMPP_PORT: "0" }, "REGUSER_GATEWAY_XMPP_PORT must be a whole number from 1 to 65535"],
      [{ XMPP_CA_FILE: join(dir, "none.pem") }, `REGUSER_GATEWAY_XMPP_CA_FILE: cannot read ${join(dir, "none.pem")}`],
      [{ PORT: "80.5" }, "REGUSER_GATEWAY_PORT must be a whole number from 0 to 65535"],
      [{ PORT: "-1" }, "REGUSER_GATEWAY_PORT must be a whole number"],
      [{ LINK_MINUTES: "0" }, "REGUSER_GATEWAY_LINK_MINUTES must be a whole number from 1 up"],
      [{ MIN_PASSWORD_LENGTH: "ten" }, "REGUSER_GATEWAY_MIN_PASSWORD_LENGTH must be a whole number"],
      [{ SIGNUP_PAGE: "yes" }, "REGUSER_GATEWAY_SIGNUP_PAGE must be true or false"],
      [{ SMTP_URL: undefined }, "REGUSER_GATEWAY_SMTP_URL is required"],
      [{ SMTP_URL: "http://mail.example.org" }, "REGUSER_GATEWAY_SMTP_URL must be a URL starting smtp://"],
      [{ MAIL_FROM: "a@example.org\r\nBcc: x@example.org" }, "REGUSER_GATEWAY_MAIL_FROM: smtpMailer: from must be"],
      [{ STORE: "sqlite:" }, "REGUSER_GATEWAY_STORE must be sqlite:PATH or redis://host:port"],
      [{ STORE: `sqlite:${join(dir, "no", "such", "dir.sqlite")}` }, "REGUSER_GATEWAY_STORE: cannot open the SQLite"],
      [{ TEMPLATES_FILE: join(dir, "none.json") }, "REGUSER_GATEWAY_TEMPLATES_FILE: cannot read"],
      [
        { BACKEND: "ejabberd-http-api", EJABBERD_API_URL: "127.0.0.1:5443" },
        "REGUSER_GATEWAY_EJABBERD_API_URL must be a URL starting http:// or https://",
      ],
      [{ BACKEND: "openfire-rest-api", OPENFIRE_URL: "https://of.example:9091" }, "OPENFIRE_SECRET is required"],
    ];
    for (const [change, message] of cases) {
      expect(await refusal({ ...good(), ...change })).toContain(message);
    }
  });

  it("builds every backend it names", async () => {
    const backends: SettingValues[] = [
      { BACKEND: "in-band", ADMIN_USERNAME: undefined, ADMIN_PASSWORD: undefined },
      { BACKEND: "ejabberd-http-api", EJABBERD_API_URL: "http://127.0.0.1:5443" },
      { BACKEND: "openfire-rest-api", OPENFIRE_URL: "https://of.example:9091", OPENFIRE_SECRET: "s" },
      { BACKEND: "openfire-user-service", OPENFIRE_URL: "https://of.example:9091", OPENFIRE_SECRET: "s" },
    ];
    for (const change of backends) {
      const built = await buildGateway({ ...good(), ...change });
      expect(built.options.provisioner.createUser).toBeTypeOf("function");
      await built.close();
    }
  });
});
