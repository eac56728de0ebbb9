// reguser-server's command line → startServer options, flag by flag (the pure part of the executable).
import { describe, expect, it } from "vitest";
import { CLI_CAPTCHA_ANSWER, parseServerArgs } from "../src/cli/args.js";
import { UsageError } from "../src/cli/usage-error.js";

describe("parseServerArgs", () => {
  it("defaults to port 5222 and leaves everything else to startServer", () => {
    expect(parseServerArgs([])).toEqual({
      kind: "serve",
      options: { port: 5222, registration: true, requireOldPassword: false, sasl: true },
      tlsFiles: undefined,
      log: false,
    });
    expect(parseServerArgs(["-h"])).toEqual({ kind: "help" });
  });

  it("maps every mode flag to its option", () => {
    const request = parseServerArgs([
      ...["--port", "0", "--host", "::1", "--domain", "yak", "--no-registration", "--fields", "name, email,phone"],
      ...["--required-fields", "email", "--instructions", "Say who you are", "--form", "both"],
      ...["--oob-url", "https://yak/register", "--require-old-password", "--errors", "modern"],
      ...["--auth-methods", "plain,0k", "--no-sasl", "--sasl-mechanisms", "plain", "--scram-iterations", "4096"],
      ...["--tls-cert", "c.pem", "--tls-key", "k.pem", "--zero-knowledge-sequences", "3", "--store", "a.json"],
      ...["--max-stanza-bytes", "4096", "--max-connections", "5", "--auth-timeout", "0", "--log"],
    ]);
    expect(request).toEqual({
      kind: "serve",
      options: {
        port: 0,
        host: "::1",
        domain: "yak",
        registration: false,
        fields: ["name", "email", "phone"],
        requiredFields: ["email"],
        instructions: "Say who you are",
        registrationForm: "both",
        oobUrl: "https://yak/register",
        requireOldPassword: true,
        errors: "modern",
        authMethods: ["plain", "0k"],
        sasl: false,
        saslMechanisms: ["PLAIN"],
        scramIterations: 4096,
        zeroKnowledgeSequences: 3,
        storeFile: "a.json",
        maxStanzaBytes: 4096,
        maxConnections: 5,
        authTimeout: 0,
      },
      tlsFiles: { cert: "c.pem", key: "k.pem" },
      log: true,
    });
  });

  it("reads '' as no fields and 'none' as no methods", () => {
    const request = parseServerArgs(["--fields", "", "--auth-methods", "none", "--sasl-mechanisms", "none"]);
    expect(request.kind === "serve" && request.options).toMatchObject({
      fields: [],
      authMethods: [],
      saslMechanisms: [],
    });
  });

  it("reads --invites as invite-only and --invite-token (repeatable) as seeds; a token alone keeps it optional", () => {
    const options = (args: string[]) => {
      const request = parseServerArgs(args);
      return request.kind === "serve" ? request.options.invites : "help";
    };
    expect(options(["--invites"])).toEqual({ only: true });
    expect(options(["--invites", "--invite-token", "t1", "--invite-token", "t2"])).toEqual({
      only: true,
      tokens: ["t1", "t2"],
    });
    expect(options(["--invite-token", "t1"])).toEqual({ only: false, tokens: ["t1"] });
    expect(options([])).toBeUndefined();
  });

  it("reads --captcha as CAPTCHA mode whose every answer is 123456 (none printed anywhere)", () => {
    const request = parseServerArgs(["--captcha"]);
    const captcha = request.kind === "serve" ? request.options.captcha : undefined;
    expect([captcha?.answer?.("15893761792462931035"), captcha?.answer?.("1"), CLI_CAPTCHA_ANSWER]).toEqual([
      "123456",
      "123456",
      "123456",
    ]);
    const plain = parseServerArgs([]);
    expect(plain.kind === "serve" && "captcha" in plain.options).toBe(false);
  });

  it("reads --zero-knowledge-registration as zeroKnowledgeRegistration (left out without it)", () => {
    const request = parseServerArgs(["--zero-knowledge-registration"]);
    expect(request.kind === "serve" && request.options.zeroKnowledgeRegistration).toBe(true);
    const plain = parseServerArgs([]);
    expect(plain.kind === "serve" && "zeroKnowledgeRegistration" in plain.options).toBe(false);
  });

  it.each([
    [["--zero-knowledge-registration=yes"]],
    [["--captcha=yes"]],
    [["--invite-token", ""]],
    [["--invite-token"]],
    [["--port", "65536"]],
    [["--port", "-1"]],
    [["--scram-iterations", "0"]],
    [["--form", "web"]],
    [["--sasl-mechanisms", "DIGEST-MD5"]],
    [["--help=yes"]],
  ])("refuses %j", (args) => {
    expect(() => parseServerArgs(args)).toThrow(UsageError);
  });
});
