import saslprep from "@mongodb-js/saslprep";
import { PasswordPreparationError } from "@reguser/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPassword, passesWithoutTables, preparePassword } from "../src/index.js";

describe("SASLprep password policy", () => {
  it("lets an ordinary password through unchanged", async () => {
    await expect(checkPassword("correct horse battery staple")).resolves.toBeUndefined();
    await expect(checkPassword("密码😀Ünïcödé")).resolves.toBeUndefined();
  });

  it("takes printable ASCII as it is, exactly as SASLprep's tables would (the fast path skips them)", async () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
    await fc.assert(
      fc.asyncProperty(printable, async (password) => {
        expect(await preparePassword(password)).toEqual({ prepared: saslprep(password, { allowUnassigned: true }) });
      }),
    );
    // Just outside the range: a control character and DEL still go to the tables, which prohibit them.
    expect(await preparePassword("a\u001fb")).toHaveProperty("problem");
    expect(await preparePassword("a\u007fb")).toHaveProperty("problem");
  });

  it("needs no tables for non-empty printable ASCII or with saslprep: 'allow', and does for anything else", () => {
    expect(passesWithoutTables("correct horse")).toBe(true);
    expect(passesWithoutTables("Ünïcödé")).toBe(false);
    expect(passesWithoutTables("Ünïcödé", "allow")).toBe(true);
    expect(() => passesWithoutTables("")).toThrow(/empty/);
  });

  it("refuses a password SASLprep would change (soft hyphen, non-ASCII space, ligature)", async () => {
    for (const password of ["I\u00ADX", "a\u00A0b", "\uFB01sh"]) {
      await expect(checkPassword(password)).rejects.toThrow(PasswordPreparationError);
    }
    expect(await preparePassword("I\u00ADX")).toEqual({ prepared: "IX" });
  });

  it("refuses prohibited characters without quoting the password", async () => {
    const secret = "abc\u0007def";
    const err = await checkPassword(secret).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PasswordPreparationError);
    expect(String(err)).toMatch(/prohibits/);
    expect(String(err)).not.toContain("abc");
  });

  it("refuses an empty password, and allows anything with saslprep: 'allow'", async () => {
    await expect(checkPassword("")).rejects.toThrow(/empty/);
    await expect(checkPassword("I\u00ADX", "allow")).resolves.toBeUndefined();
  });
});
