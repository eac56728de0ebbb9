// Argument parsing: the book's form, subcommands, flags per command, and usage errors.
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../src/args.js";
import { parseTarget } from "../src/target.js";
import { UsageError } from "../src/usage-error.js";

describe("parseTarget", () => {
  it.each([
    ["yak", { host: "yak", port: undefined }],
    ["yak:5222", { host: "yak", port: 5222 }],
    ["127.0.0.1:5333", { host: "127.0.0.1", port: 5333 }],
    ["[::1]:5222", { host: "::1", port: 5222 }],
    ["[::1]", { host: "::1", port: undefined }],
  ])("%s", (text, target) => {
    expect(parseTarget(text)).toEqual(target);
  });

  it.each(["yak:", "yak:0", "yak:70000", "yak:http", ":5222", "a:b:c"])("refuses %s", (text) => {
    expect(() => parseTarget(text)).toThrow(UsageError);
  });
});

describe("parseCommandLine", () => {
  it("reads the book's inquiry", () => {
    const inv = parseCommandLine(["yak:5222"]);
    expect(inv).toMatchObject({ command: "book", fields: [], json: false });
    expect(inv.command === "book" && inv.connect).toEqual({
      target: { host: "yak", port: 5222 },
      domain: undefined,
      tls: "auto",
      ca: undefined,
      insecure: false,
      legacy: false,
      timeout: undefined,
    });
  });

  it("reads the book's attempt, values with spaces and '=' kept", () => {
    const inv = parseCommandLine([
      "yak",
      "username=joseph",
      "password=spin=ach",
      "name=Joseph Adams",
      "email=joseph@yak",
    ]);
    expect(inv).toMatchObject({
      command: "book",
      fields: [
        ["username", "joseph"],
        ["password", "spin=ach"],
        ["name", "Joseph Adams"],
        ["email", "joseph@yak"],
      ],
    });
  });

  it("reads `register host …` as the book's attempt, with --invite", () => {
    const inv = parseCommandLine(["register", "yak", "username=juliet", "--invite", "xmpp:yak?register;preauth=T"]);
    expect(inv).toMatchObject({
      command: "book",
      fields: [["username", "juliet"]],
      invite: "xmpp:yak?register;preauth=T",
    });
  });

  it("takes connection flags anywhere", () => {
    const inv = parseCommandLine([
      "--json",
      "yak",
      "--domain",
      "example.org",
      "--tls=starttls",
      "--timeout",
      "500",
      "--legacy",
    ]);
    expect(inv).toMatchObject({
      command: "book",
      json: true,
      connect: { domain: "example.org", tls: "starttls", timeout: 500, legacy: true },
    });
  });

  it("reads passwd, remove and auth", () => {
    expect(parseCommandLine(["passwd", "yak", "joseph", "--password-stdin"])).toMatchObject({
      command: "passwd",
      username: "joseph",
      passwordStdin: true,
      resource: "reguser",
      method: "auto",
    });
    expect(parseCommandLine(["remove", "yak", "joseph"])).toMatchObject({ command: "remove", username: "joseph" });
    expect(parseCommandLine(["auth", "yak", "dj", "--method", "digest", "--methods-only"])).toMatchObject({
      command: "auth",
      method: "digest",
      methodsOnly: true,
    });
  });

  it("reads bulk", () => {
    const inv = parseCommandLine([
      "bulk",
      "yak",
      "--pattern",
      "user{001..500}",
      "--random-passwords",
      "--out",
      "users.csv",
      "--concurrency",
      "16",
      "--connections",
      "2",
      "--report",
      "r.json",
      "--no-progress",
    ]);
    expect(inv).toMatchObject({
      command: "bulk",
      pattern: "user{001..500}",
      randomPasswords: true,
      out: "users.csv",
      concurrency: 16,
      connections: 2,
      report: "r.json",
      progress: false,
    });
  });

  it("reads help and version", () => {
    expect(parseCommandLine(["--help"])).toEqual({ command: "help", topic: undefined });
    expect(parseCommandLine(["help", "bulk"])).toEqual({ command: "help", topic: "bulk" });
    expect(parseCommandLine(["passwd", "-h"])).toEqual({ command: "help", topic: "passwd" });
    expect(parseCommandLine(["--version"])).toEqual({ command: "version" });
  });

  it.each([
    [[], /missing host/, undefined],
    [["yak", "--bogus"], /Unknown option '--bogus'/, undefined],
    [["yak", "joseph"], /expected field=value/, undefined],
    [["yak", "--password-stdin"], /goes with an attempt/, undefined],
    [["yak", "=x"], /expected field=value/, undefined],
    [["yak", "--tls", "maybe"], /--tls must be one of/, "book"],
    [["yak", "--timeout", "soon"], /--timeout must be a positive whole number/, "book"],
    [["yak", "--pattern", "u{1..2}"], /--pattern is not an option of an inquiry or attempt/, "book"],
    [["passwd", "yak"], /missing username/, "passwd"],
    [["passwd", "yak", "joseph", "extra"], /unexpected argument 'extra'/, "passwd"],
    [["auth", "yak", "dj", "--method", "sasl"], /--method must be one of/, "auth"],
    [["bulk", "yak"], /exactly one of --pattern or --csv/, "bulk"],
    [["bulk", "yak", "--pattern", "u{1..2}", "--csv", "f.csv"], /exactly one of --pattern or --csv/, "bulk"],
    [["bulk", "yak", "--pattern", "u{1..2}", "--random-passwords"], /needs --out FILE/, "bulk"],
    [
      ["bulk", "yak", "--pattern", "u{1..2}", "--random-passwords", "--password-stdin", "--out", "x"],
      /at most one/,
      "bulk",
    ],
    [["bulk", "yak", "--csv", "f.csv", "--concurrency", "0"], /--concurrency must be a positive/, "bulk"],
    [["help", "nothing"], /no help for 'nothing'/, undefined],
  ])("%j is a usage error", (argv, message, command) => {
    let error: unknown;
    try {
      parseCommandLine(argv);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).command).toBe(command);
  });
});
