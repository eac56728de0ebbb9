// The XEP-0077 steps against the embedded server: one quick test per answer a server gives.

import { authenticate } from "@reguser/auth";
import {
  ConflictError,
  FeatureNotImplementedError,
  InvalidOptionError,
  NotAcceptableError,
  NotAuthorizedError,
} from "@reguser/errors";
import { embeddedStreams } from "@reguser/test-kit";
import { describe, expect, it } from "vitest";
import {
  CaptchaFailedError,
  CaptchaRequiredError,
  changePassword,
  InviteInvalidError,
  InviteRequiredError,
  inquire,
  MissingFieldsError,
  OutOfBandRegistrationError,
  register,
  removeAccount,
} from "../src/index.js";

const embedded = embeddedStreams();
const { open } = embedded;

const account = { username: "leslie", password: "correct-horse-battery" };

describe("inquire", () => {
  it("returns the fields, in the server's order, and the instructions", async () => {
    const info = await inquire(await open({ fields: ["email"], instructions: "Pick one" }));
    expect(info).toMatchObject({
      fields: ["email", "username", "password"],
      instructions: "Pick one",
      registered: false,
    });
  });

  it("raises the server's refusal when registration is off (501 on the embedded server)", async () => {
    await expect(inquire(await open({ registration: false }))).rejects.toBeInstanceOf(FeatureNotImplementedError);
  });
});

describe("register", () => {
  it("registers several accounts on one session, then a taken name is a ConflictError 409", async () => {
    const stream = await open();
    await register(stream, account);
    await register(stream, { username: "dj", password: "another-one-pw" });
    const err = await register(stream, account).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ code: 409, condition: "conflict" });
    expect(embedded.server?.users.usernames().sort()).toEqual(["dj", "leslie"]);
  });

  it("fills in the data form the inquiry offered when the server offers only a form", async () => {
    const stream = await open({ registrationForm: "only" });
    const inquiry = await inquire(stream);
    expect(inquiry.fields).toEqual([]);
    await register(stream, { ...account, name: "Leslie", email: "lel@plevna.com" }, { inquiry });
    expect(embedded.server?.users.get("leslie")?.fields).toMatchObject({ email: "lel@plevna.com" });
  });

  it("without the inquiry sends legacy fields, which a form-only server refuses (406)", async () => {
    const stream = await open({ registrationForm: "only" });
    await expect(register(stream, account)).rejects.toBeInstanceOf(NotAcceptableError);
  });

  it("refuses before sending when the offered form requires more than was given", async () => {
    const stream = await open({ registrationForm: "only", requiredFields: ["email"], fields: ["email"] });
    const inquiry = await inquire(stream);
    await expect(register(stream, account, { inquiry })).rejects.toBeInstanceOf(MissingFieldsError);
    expect(embedded.server?.users.size).toBe(0);
  });

  it("refuses before sending when the inquiry points at a web page", async () => {
    const stream = await open({ oobUrl: "https://example.org/join" });
    const inquiry = await inquire(stream);
    const err = await register(stream, account, { inquiry }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutOfBandRegistrationError);
    expect(err).toMatchObject({ url: "https://example.org/join" });
  });
});

describe("in a session", () => {
  it("changePassword: the new password logs in on a fresh stream, the old one no longer", async () => {
    const stream = await open();
    await register(stream, account);
    await authenticate(stream, { ...account, resource: "r" });
    await changePassword(stream, { username: account.username, password: "a-new-password-pw" });
    const fresh = await open();
    await expect(authenticate(fresh, { ...account, resource: "r2", method: "plain" })).rejects.toBeInstanceOf(
      NotAuthorizedError,
    );
    const again = await open();
    await authenticate(again, { username: account.username, password: "a-new-password-pw", resource: "r3" });
  });

  it("changePassword without a username changes the password of the account the session is logged in as", async () => {
    const stream = await open();
    await register(stream, account);
    await authenticate(stream, { ...account, resource: "r" });
    await changePassword(stream, { password: "another-password-pw" });
    const again = await open();
    await authenticate(again, { username: account.username, password: "another-password-pw", resource: "r2" });
  });

  it("changePassword without a username outside a session is refused before anything is sent", async () => {
    const stream = await open();
    const err = await changePassword(stream, { password: "another-password-pw" }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err).toMatchObject({ operation: "changePassword", option: "username" });
  });

  it("removeAccount: the account is gone and the session closed, the server's end counted as success", async () => {
    const stream = await open();
    await register(stream, account);
    await authenticate(stream, { ...account, resource: "r" });
    await removeAccount(stream);
    expect(stream.closed).toBe(true);
    expect(embedded.server?.users.has("leslie")).toBe(false);
  });
});

describe("register with an invite", () => {
  const invites = { invites: { only: true } };

  it("an invite-only server refuses a plain registration with InviteRequiredError", async () => {
    const stream = await open(invites);
    await expect(register(stream, account)).rejects.toBeInstanceOf(InviteRequiredError);
  });

  it("sends the token first; the invite is spent, a second use is InviteInvalidError", async () => {
    const stream = await open(invites);
    const uri = embedded.server?.invites.create() ?? "";
    await register(stream, account, { invite: uri });
    expect(embedded.server?.users.has(account.username)).toBe(true);
    const again = await register(stream, { username: "other", password: "other-password-1" }, { invite: uri }).catch(
      (e) => e,
    );
    expect(again).toBeInstanceOf(InviteInvalidError);
  });

  it.each([
    ["a name other than the invite's", (domain: string) => `xmpp:someone@${domain}?register;preauth=T`],
    ["another server's invite", () => "xmpp:elsewhere.example?register;preauth=T"],
    ["a contact invite without ibr=y", (domain: string) => `xmpp:romeo@${domain}?roster;preauth=T`],
  ])("refuses %s before sending anything", async (_, uriFor) => {
    const stream = await open(invites);
    const err = await register(stream, account, { invite: uriFor(stream.domain) }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.option).toBe("invite");
    expect(embedded.server?.users.has(account.username)).toBe(false);
  });
});

describe("register on a CAPTCHA form", () => {
  const captcha = { captcha: {} };
  const solve = (c: { challenge?: string | undefined }) => embedded.server?.captchas.answerFor(c.challenge ?? "") ?? "";

  it("answers with solveCaptcha and echoes the hidden fields", async () => {
    const stream = await open(captcha);
    const inquiry = await inquire(stream);
    expect(inquiry.captcha).toMatchObject({ field: "ocr", formType: "jabber:iq:register" });
    await register(stream, account, { inquiry, solveCaptcha: solve });
    expect(embedded.server?.users.has(account.username)).toBe(true);
  });

  it("after a wrong answer, tries again on a fresh challenge; all wrong is CaptchaFailedError", async () => {
    const stream = await open(captcha);
    const seen: string[] = [];
    await register(stream, account, {
      inquiry: await inquire(stream),
      solveCaptcha: (c) => {
        seen.push(c.challenge ?? "");
        return seen.length === 1 ? "wrong" : solve(c);
      },
    });
    expect(new Set(seen).size).toBe(2);
    const err = await register(
      stream,
      { username: "bot", password: "bot-password-1" },
      {
        inquiry: await inquire(stream),
        solveCaptcha: () => "wrong",
      },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(CaptchaFailedError);
    expect(err.attempts).toBe(3);
  });

  it("without a solver, CaptchaRequiredError before anything is sent", async () => {
    const stream = await open(captcha);
    const inquiry = await inquire(stream);
    const before = embedded.server?.captchas.size;
    await expect(register(stream, account, { inquiry })).rejects.toBeInstanceOf(CaptchaRequiredError);
    // Nothing was sent: the challenge is still live.
    expect(embedded.server?.captchas.size).toBe(before);
  });
});

describe("zero-knowledge registration", () => {
  const zeroKnowledge = { zeroKnowledgeRegistration: true };

  it("sends a hash chain instead of the password; the account logs in with 0k only", async () => {
    const traffic: string[] = [];
    const stream = await open({ ...zeroKnowledge, log: (line: string) => traffic.push(line) });
    const inquiry = await inquire(stream);
    expect(inquiry.zeroKnowledge).toBe(true);
    await register(stream, account, { inquiry, zeroKnowledge: { sequence: 50, token: "CAFE" } });
    const sent = traffic.filter((line) => line.startsWith("in:") && line.includes("jabber:iq:register"));
    expect(sent.at(-1)).toMatch(/<hash>/);
    expect(sent.at(-1)).not.toMatch(/<password>/);
    expect(embedded.server?.users.get(account.username)?.zeroKnowledge).toEqual({ sequence: 50, token: "CAFE" });
    const login = await open();
    expect(await authenticate(login, { ...account, resource: "r", method: "0k" })).toMatchObject({ method: "0k" });
  });

  it("is refused before sending where the inquiry does not offer it", async () => {
    const stream = await open();
    const err = await register(stream, account, { inquiry: await inquire(stream), zeroKnowledge: true }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.option).toBe("zeroKnowledge");
    expect(embedded.server?.users.has(account.username)).toBe(false);
  });
});
