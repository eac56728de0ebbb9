import { describe, expect, it } from "vitest";
import { checkEmail } from "../src/fields/check-email.js";
import { checkName } from "../src/fields/check-name.js";
import { checkUsername } from "../src/fields/check-username.js";
import { GatewayError } from "../src/gateway-error.js";

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as GatewayError;
  }
  throw new Error("expected a refusal");
};

describe("checkUsername (RFC 7622 localpart, canonical form only)", () => {
  it.each(["alice", "bob.smith", "user_1", "jürgen", "δοκιμή", "用户", "a-b+c"])("accepts %s", (name) => {
    expect(checkUsername(name)).toBe(name);
  });
  it.each([
    ["", /empty/],
    ["Alice", /lower case/],
    ["ａｌｉｃｅ", /NFKC/],
    ["al ice", /spaces/],
    ["al@ice", /spaces or any of/],
    ["al/ice", /spaces or any of/],
    ["a\u0000b", /control/],
    ["a\u200db", /control, format/],
    ["a\u00a0b", /spaces|control/],
    ["x".repeat(1024), /1023 bytes/],
  ])("refuses %j", (name, why) => {
    const err = refusal(() => checkUsername(name));
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: "bad_request", status: 400, field: "username" });
    expect(err.message).toMatch(why);
  });
});

describe("checkEmail", () => {
  it.each(["a@example.org", "first.last+tag@mail.example.co.uk", "x_y@sub-domain.example"])("accepts %s", (a) => {
    expect(checkEmail(a)).toBe(a);
  });
  it.each([
    ["a@example.org\r\nBcc: victim@example.org", /line break/],
    ["a@example.org\n", /line break/],
    ["no-at-sign", /an address/],
    ["@example.org", /an address/],
    ["a@", /an address/],
    ['"quoted"@example.org', /before the @/],
    ["a..b@example.org", /before the @/],
    ["a@localhost", /with a dot/],
    ["a@[127.0.0.1]", /domain/],
    ["a@-bad.example", /domain/],
    [`${"x".repeat(65)}@example.org`, /before the @/],
    [`a@${"x".repeat(250)}.org`, /254/],
  ])("refuses %j", (address, why) => {
    const err = refusal(() => checkEmail(address));
    expect(err).toMatchObject({ code: "bad_request", field: "email" });
    expect(err.message).toMatch(why);
    expect(err.message).not.toContain(address);
  });
});

describe("checkName", () => {
  it("trims and keeps any script", () => {
    expect(checkName("  Zoë 王 ")).toBe("Zoë 王");
  });
  it.each([
    ["Joe\r\nBcc: x@example.org", /line break/],
    ["Joe\u0007", /control/],
    ["Joe \u202egnp.exe", /bidirectional/],
    ["Joe \ud800", /well-formed/],
    ["x".repeat(201), /longer/],
  ])("refuses %j", (name, why) => {
    expect(refusal(() => checkName(name)).message).toMatch(why);
  });
});
