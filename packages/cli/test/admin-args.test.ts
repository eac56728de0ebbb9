// --admin and its companions: what parses, and what is a usage error (exit 2) before anything is sent.
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../src/args.js";
import { UsageError } from "../src/usage-error.js";
import { runMain } from "./helpers/run-main.js";

const attempt = ["127.0.0.1:5222", "--domain", "example.org", "username=juliet"];

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`${JSON.stringify(argv)} parsed`);
}

describe("--admin flags", () => {
  it("reads xep0133 with --admin-jid in the domain the accounts are made in", () => {
    const inv = parseCommandLine([...attempt, "--admin", "xep0133", "--admin-jid", "boss@EXAMPLE.org"]);
    expect(inv).toMatchObject({
      command: "book",
      admin: {
        backend: "xep0133",
        username: "boss",
        only: false,
        secretEnv: "REGUSER_ADMIN_PASSWORD",
        secretStdin: false,
      },
    });
    expect(parseCommandLine(["127.0.0.1", "username=j", "--admin=xep0133", "--admin-jid=boss"])).toMatchObject({
      admin: { backend: "xep0133", username: "boss" },
    });
  });

  it("reads the Openfire backends with --admin-url, --admin-secret-env, --admin-password-stdin and --admin-only", () => {
    const bulk = parseCommandLine([
      "bulk",
      "yak",
      "--csv",
      "users.csv",
      "--admin",
      "openfire-restapi",
      "--admin-url",
      "https://openfire.example:9091",
      "--admin-secret-env",
      "OPENFIRE_REST_SECRET",
      "--admin-only",
    ]);
    expect(bulk).toMatchObject({
      command: "bulk",
      admin: {
        backend: "openfire-restapi",
        url: "https://openfire.example:9091",
        secretEnv: "OPENFIRE_REST_SECRET",
        only: true,
      },
    });
    const remove = ["remove", "yak", "kafka", "--admin", "openfire-userservice", "--admin-url", "http://of:9090"];
    expect(parseCommandLine([...remove, "--admin-password-stdin"])).toMatchObject({
      command: "remove",
      admin: { backend: "openfire-userservice", secretEnv: "REGUSER_ADMIN_SECRET", secretStdin: true },
    });
    expect(parseCommandLine(["passwd", "yak", "kafka"])).toMatchObject({ command: "passwd", admin: undefined });
  });

  it.each([
    [[...attempt, "--admin", "xep0133"], /--admin xep0133 needs --admin-jid/, "book"],
    [[...attempt, "--admin", "ldap"], /--admin must be one of xep0133, openfire-userservice, openfire-restapi/, "book"],
    [[...attempt, "--admin-jid", "boss@example.org"], /--admin-jid goes with --admin BACKEND/, "book"],
    [[...attempt, "--admin-only"], /--admin-only goes with --admin BACKEND/, "book"],
    [["bulk", "yak", "--csv", "f.csv", "--admin-password-stdin"], /--admin-password-stdin goes with --admin/, "bulk"],
    [[...attempt, "--admin", "openfire-restapi"], /needs --admin-url, the admin console/, "book"],
    [[...attempt, "--admin", "xep0133", "--admin-jid", "b", "--admin-url", "http://x"], /not xep0133/, "book"],
    [
      [...attempt, "--admin", "openfire-restapi", "--admin-url", "http://x", "--admin-jid", "b"],
      /--admin-jid goes/,
      "book",
    ],
    [[...attempt, "--admin", "xep0133", "--admin-jid", "boss@other.org"], /an account of example\.org/, "book"],
    [[...attempt, "--admin", "xep0133", "--admin-jid", "boss@example.org/res"], /not a bare JID/, "book"],
    [[...attempt, "--admin", "openfire-restapi", "--admin-url", "ftp://of"], /must be http: or https:/, "book"],
    [[...attempt, "--admin", "openfire-restapi", "--admin-url", "not a url"], /is not a URL/, "book"],
    [["127.0.0.1", "--admin", "xep0133", "--admin-jid", "boss"], /--admin goes with an attempt/, undefined],
    [["auth", "yak", "dj", "--admin", "xep0133"], /--admin is not an option of 'auth'/, "auth"],
    [
      ["passwd", "yak", "dj", "--admin", "xep0133", "--admin-jid", "b", "--method", "plain"],
      /--method is for/,
      "passwd",
    ],
    [
      ["passwd", "yak", "dj", "--admin", "xep0133", "--admin-jid", "b", "--admin-only"],
      /--admin-only is not/,
      "passwd",
    ],
    [
      ["remove", "yak", "dj", "--admin", "xep0133", "--admin-jid", "b", "--password-stdin"],
      /no account password/,
      "remove",
    ],
  ])("%j is a usage error", (argv, message, command) => {
    const err = usageError(argv);
    expect(err.message).toMatch(message);
    expect(err.command).toBe(command);
  });

  it("never echoes what might be a secret: a URL's credentials, a value given as a variable name", () => {
    const url = usageError([...attempt, "--admin", "openfire-restapi", "--admin-url", "http://admin:hunter2@of:9090"]);
    expect(url.message).toMatch(/takes no credentials/);
    expect(url.message).not.toContain("hunter2");
    const env = usageError([
      ...attempt,
      "--admin",
      "openfire-restapi",
      "--admin-url",
      "http://of",
      "--admin-secret-env",
      "s3cr=t!",
    ]);
    expect(env.message).toMatch(/the name of an environment variable/);
    expect(env.message).not.toContain("s3cr=t!");
  });
});

describe("main() with bad --admin flags", () => {
  it("exits 2 with the message on one line and where the help is, having sent nothing", async () => {
    const missing = await runMain([...attempt, "--admin", "xep0133", "--password-stdin"], { input: "pw-1\n" });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(
      /^reguser: --admin xep0133 needs --admin-jid[^\n]*\nRun 'reguser --help' for the usage\.\n$/,
    );

    const unknown = await runMain(["bulk", "yak", "--pattern", "u{1..2}", "--admin", "ldap"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^reguser: --admin must be one of[^\n]*\nRun 'reguser bulk --help' for the usage\.\n$/,
    );
  });

  it("exits 2 when the admin path could not create the account: no password, no username", async () => {
    const admin = ["--admin", "xep0133", "--admin-jid", "boss"];
    const noPassword = await runMain([...attempt, ...admin], { env: { REGUSER_ADMIN_PASSWORD: "boss-pw" } });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/^reguser: --admin needs the account's password/);
    const noUsername = await runMain(["127.0.0.1:1", "email=j@example.org", "--password-stdin", ...admin], {
      input: "pw-1\n",
      env: { REGUSER_ADMIN_PASSWORD: "boss-pw" },
    });
    expect(noUsername.code).toBe(2);
    expect(noUsername.stderr).toMatch(/^reguser: --admin needs username=/);
    expect(noPassword.stderr + noUsername.stderr).not.toContain("boss-pw");
  });

  it("exits 2 when no admin credential can be had, naming where it may come from but not a chosen variable", async () => {
    const args = ["remove", "127.0.0.1:1", "kafka", "--admin", "openfire-restapi", "--admin-url", "http://127.0.0.1:1"];
    const none = await runMain(args);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needed: set REGUSER_ADMIN_SECRET, pass --admin-password-stdin, or run on a terminal/);

    const named = await runMain([...args, "--admin-secret-env", "MY_SECRET_VARIABLE"]);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/set the variable --admin-secret-env names/);
    expect(named.stderr).not.toContain("MY_SECRET_VARIABLE");

    const stdinEnded = await runMain([...args, "--admin-password-stdin"], { input: "" });
    expect(stdinEnded.code).toBe(2);
    expect(stdinEnded.stderr).toMatch(/--admin-password-stdin: stdin ended before the Admin secret/);
  });
});
