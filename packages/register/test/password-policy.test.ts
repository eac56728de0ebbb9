import saslprep from "@mongodb-js/saslprep";
import { PasswordPreparationError } from "@reguser/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPassword, preparePassword } from "../src/index.js";

describe("SASLprep password policy", () => {
  it("lets an ordinary password through unchanged", () => {
    expect(() => checkPassword("correct horse battery staple")).not.toThrow();
    expect(() => checkPassword("密码😀Ünïcödé")).not.toThrow();
  });

  it("takes printable ASCII as it is, exactly as SASLprep's tables would (the fast path skips them)", () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
    fc.assert(
      fc.property(printable, (password) => {
        expect(preparePassword(password)).toEqual({ prepared: saslprep(password, { allowUnassigned: true }) });
      }),
    );
    // Just outside the range: a control character and DEL still go to the tables, which prohibit them.
    expect(preparePassword("a\u001fb")).toHaveProperty("problem");
    expect(preparePassword("a\u007fb")).toHaveProperty("problem");
  });

  it("refuses a password SASLprep would change (soft hyphen, non-ASCII space, ligature)", () => {
    for (const password of ["I\u00ADX", "a\u00A0b", "\uFB01sh"]) {
      expect(() => checkPassword(password)).toThrow(PasswordPreparationError);
    }
    expect(preparePassword("I\u00ADX")).toEqual({ prepared: "IX" });
  });

  it("refuses prohibited characters without quoting the password", () => {
    const secret = "abc\u0007def";
    let message = "";
    try {
      checkPassword(secret);
    } catch (err) {
      expect(err).toBeInstanceOf(PasswordPreparationError);
      message = String(err);
    }
    expect(message).toMatch(/prohibits/);
    expect(message).not.toContain("abc");
  });

  it("refuses an empty password, and allows anything with saslprep: 'allow'", () => {
    expect(() => checkPassword("")).toThrow(/empty/);
    expect(() => checkPassword("I\u00ADX", "allow")).not.toThrow();
  });
});
