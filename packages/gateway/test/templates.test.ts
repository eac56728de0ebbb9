import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES, renderMail } from "../src/mail/templates.js";

describe("mail templates", () => {
  it("fill every placeholder, escaping HTML only in the HTML part", () => {
    const mail = renderMail(DEFAULT_TEMPLATES.create, {
      name: "<Zoë & Co>",
      username: "zoe",
      jid: "zoe@example.org",
      link: "https://gw.example/set-password?t=a.b.c",
      minutes: "30",
    });
    expect(mail.subject).toBe("Confirm your chat account zoe@example.org");
    expect(mail.text).toContain("Hello <Zoë & Co>,");
    expect(mail.text).toContain("https://gw.example/set-password?t=a.b.c");
    expect(mail.html).toContain("Hello &#60;Zoë &#38; Co&#62;,");
    expect(mail.html).not.toContain("<Zoë");
    expect(mail.text).not.toMatch(/\{\w+\}/);
  });
  it("refuse a subject that would break the header", () => {
    expect(() => renderMail({ subject: "Hi {name}", text: "", html: "" }, { name: "x\r\nBcc: y@example.org" })).toThrow(
      /line break/,
    );
  });
});
