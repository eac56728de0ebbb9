// CAPTCHA mode as ejabberd 23.01's captcha_protected: XEP-0158 forms carrying a XEP-0231 image, over real TCP.
import { createHash } from "node:crypto";
import { BadRequestError, ConflictError, InvalidOptionError, NotAllowedError } from "@reguser/errors";
import { buildRegistrationFormRequest, fillForm, NS, parseDataForm } from "@reguser/protocol";
import type { XmppStream } from "@reguser/stream";
import xml, { type Element } from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import { type ServerOptions, startServer } from "../src/index.js";
import { iq, REGISTER, refusal, registerText, useServers } from "./helpers/server.js";

const { start, connect, streamTo } = useServers();
const BOB = "urn:xmpp:bob";
const MEDIA = "urn:xmpp:media-element";
const FAILED = "The CAPTCHA verification has failed";
const REQUIRED = "A CAPTCHA is required to register";
const MALFORMED = "Incorrect CAPTCHA submit";
const PNG_SIGNATURE = "89504e470d0a1a0a";

/** The inquiry's query (an IQ-get with the id `id`, which ejabberd echoes as the form's sid). */
async function inquire(stream: XmppStream, id = "inq-1"): Promise<Element> {
  const reply = await stream.request(
    xml("iq", { type: "get", id, to: stream.domain }, xml("query", { xmlns: REGISTER })),
  );
  const query = reply.getChild("query", REGISTER);
  if (!query) throw new Error(`no query in ${reply.toString()}`);
  return query;
}

/** The form of an inquiry's query, as a client reads it. */
const formOf = (query: Element) => {
  const x = query.getChild("x", NS.dataForms);
  if (!x) throw new Error(`no form in ${query.toString()}`);
  return parseDataForm(x);
};

const challengeOf = (query: Element) => formOf(query).fields.find((f) => f.var === "challenge")?.values[0] ?? "";

/** A client's answer to the form in `query`: hidden fields sent back as received, the rest filled in. */
const answer = (stream: XmppStream, query: Element, values: Record<string, string>) =>
  stream.set(buildRegistrationFormRequest(fillForm(formOf(query), values).form), { to: stream.domain });

/** An answer to a form for `challenge` without asking first (a made-up or spent challenge). */
const answerTo = (stream: XmppStream, challenge: string, values: Record<string, string>) =>
  stream.set(
    buildRegistrationFormRequest({
      type: "submit",
      instructions: [],
      fields: [
        { var: "FORM_TYPE", type: "hidden", required: false, values: [REGISTER], options: [] },
        ...Object.entries({ challenge, ...values }).map(([name, value]) => ({
          var: name,
          required: false,
          values: [value],
          options: [],
        })),
      ],
    }),
    { to: stream.domain },
  );

/** A server whose clock the test moves. */
async function startWithClock(options: ServerOptions = {}) {
  const clock = { time: 1_700_000_000_000 };
  const server = await start({ now: () => clock.time, ...options });
  return { server, clock };
}

describe("the inquiry", () => {
  it("is ejabberd's: instructions, the CAPTCHA form with every field, then the image as the form's sibling", async () => {
    const server = await start({ captcha: {}, domain: "localhost" });
    const stream = await streamTo(server);
    expect(stream.features.register).toBe(true);
    const query = await inquire(stream, "inq-7");
    expect(query.getChildElements().map((c) => c.name)).toEqual(["instructions", "x", "data"]);
    expect(query.getChildText("instructions")).toBe("You need a client that supports x:data and CAPTCHA to register");

    const challenge = challengeOf(query);
    expect(challenge).toMatch(/^\d+$/);
    expect(server.captchas.last()).toEqual({ challenge, answer: server.captchas.answerFor(challenge) });
    expect(server.captchas.answerFor(challenge)).toMatch(/^\d{6}$/);

    const x = query.getChild("x", NS.dataForms) as Element;
    expect(x.attrs.type).toBe("form");
    const form = formOf(query);
    expect(form.fields.map((f) => [f.var, f.type, f.required, f.values])).toEqual([
      ["FORM_TYPE", "hidden", false, [REGISTER]],
      ["username", "text-single", true, []],
      ["password", "text-private", true, []],
      ["captcha-fallback-text", "fixed", false, ["If you don't see the CAPTCHA image here, visit the web page."]],
      ["captcha-fallback-url", "text-single", false, [`http://127.0.0.1/captcha/${challenge}/image`]],
      ["from", "hidden", false, ["localhost"]],
      ["challenge", "hidden", true, [challenge]],
      ["sid", "hidden", false, ["inq-7"]],
      ["ocr", "text-single", true, []],
    ]);
    // Where ejabberd puts <required/>: before the challenge's value, after the ocr field's media.
    const field = (name: string) => x.getChildren("field").find((f) => f.attrs.var === name) as Element;
    expect(
      field("challenge")
        .getChildElements()
        .map((c) => c.name),
    ).toEqual(["required", "value"]);
    expect(
      field("ocr")
        .getChildElements()
        .map((c) => c.name),
    ).toEqual(["media", "required"]);

    const uri = field("ocr").getChild("media", MEDIA)?.getChild("uri");
    const data = query.getChild("data", BOB) as Element;
    expect(uri?.attrs.type).toBe("image/png");
    expect(uri?.getText()).toBe(`cid:${data.attrs.cid}`);
    expect([data.attrs.type, data.attrs["max-age"]]).toEqual(["image/png", "0"]);
    const bytes = Buffer.from(data.getText(), "base64");
    expect(bytes.subarray(0, 8).toString("hex")).toBe(PNG_SIGNATURE);
    expect(data.attrs.cid).toBe(`sha1+${createHash("sha1").update(bytes).digest("hex")}@bob.xmpp.org`);
  });

  it("issues a new challenge each time; answerFor, last() and size see the live ones", async () => {
    const server = await start({ captcha: {} });
    const stream = await streamTo(server);
    const first = challengeOf(await inquire(stream, "a"));
    const second = challengeOf(await inquire(stream, "b"));
    expect(first).not.toBe(second);
    expect(server.captchas.size).toBe(2);
    expect(server.captchas.last()?.challenge).toBe(second);
    expect(server.captchas.answerFor(first)).toMatch(/^\d{6}$/);
    expect(server.captchas.answerFor("42")).toBeUndefined();
  });

  it("asks `answer` what each image shows, and keeps the configured instructions", async () => {
    const asked: string[] = [];
    const server = await start({
      captcha: { answer: (challenge) => (asked.push(challenge), `x${challenge.slice(-3)}`) },
      instructions: "Prove you are human",
    });
    const query = await inquire(await streamTo(server));
    const challenge = challengeOf(query);
    expect(asked).toEqual([challenge]);
    expect(server.captchas.answerFor(challenge)).toBe(`x${challenge.slice(-3)}`);
    expect(query.getChildText("instructions")).toBe("Prove you are human");
  });

  it("says FORM_TYPE urn:xmpp:captcha with formType (older ejabberd), and takes the answer to that form", async () => {
    const server = await start({ captcha: { formType: "urn:xmpp:captcha" } });
    const stream = await streamTo(server);
    const query = await inquire(stream);
    expect(formOf(query).fields[0]).toMatchObject({ var: "FORM_TYPE", values: [NS.captcha] });
    const ocr = server.captchas.answerFor(challengeOf(query)) as string;
    await answer(stream, query, { username: "ann", password: "pw", ocr });
    expect(server.users.has("ann")).toBe(true);
  });

  it("lists the requiredFields after username and password, required", async () => {
    const server = await start({ captcha: {}, fields: ["name", "email"], requiredFields: ["email"] });
    const stream = await streamTo(server);
    const query = await inquire(stream);
    const listed = formOf(query).fields.map((f) => [f.var, f.required]);
    expect(listed.slice(0, 5)).toEqual([
      ["FORM_TYPE", false],
      ["username", true],
      ["password", true],
      ["email", true],
      ["captcha-fallback-text", false],
    ]);
    const ocr = server.captchas.last()?.answer as string;
    await answer(stream, query, { username: "ann", password: "pw", email: "ann@example.org", ocr });
    expect(server.users.get("ann")?.fields).toEqual({ email: "ann@example.org" });
  });

  it("is the usual one with CAPTCHA mode off: fields, no form, nothing issued", async () => {
    const server = await start();
    const query = await inquire(await streamTo(server));
    expect(query.getChildElements().map((c) => c.name)).toEqual([
      "instructions",
      "name",
      "email",
      "username",
      "password",
    ]);
    expect([server.captchas.size, server.captchas.last(), server.captchas.answerFor("1")]).toEqual([
      0,
      undefined,
      undefined,
    ]);
  });

  it("stays a 501 with registration off, and the attempt keeps the book's order", async () => {
    const server = await start({ captcha: {}, registration: false });
    const stream = await streamTo(server);
    expect(stream.features.register).toBe(false);
    expect((await refusal(inquire(stream))).condition).toBe("feature-not-implemented");
    const legacy = xml("query", { xmlns: REGISTER }, xml("username", {}, "ann"), xml("password", {}, "pw"));
    expect((await refusal(stream.set(legacy, { to: stream.domain }))).condition).toBe("feature-not-implemented");
    expect(server.captchas.size).toBe(0);
  });
});

describe("the attempt", () => {
  it("registers with the right answer and spends the challenge; the CAPTCHA's fields are not stored", async () => {
    const server = await start({ captcha: {} });
    const stream = await streamTo(server);
    const query = await inquire(stream);
    const challenge = challengeOf(query);
    const ocr = server.captchas.answerFor(challenge) as string;
    await answer(stream, query, { username: "ann", password: "pw", ocr });
    expect(server.users.has("ann")).toBe(true);
    expect(server.users.get("ann")?.fields).toEqual({});
    expect([server.captchas.answerFor(challenge), server.captchas.last(), server.captchas.size]).toEqual([
      undefined,
      undefined,
      0,
    ]);
  });

  it("refuses a wrong answer with cancel / not-allowed, and the challenge is spent: the right answer fails after", async () => {
    const server = await start({ captcha: { answer: () => "7Kx2p" } });
    const stream = await streamTo(server);
    const query = await inquire(stream);
    const wrong = await refusal(answer(stream, query, { username: "ann", password: "pw", ocr: "7kx2p" }));
    expect(wrong).toBeInstanceOf(NotAllowedError);
    expect([wrong.type, wrong.text]).toEqual(["cancel", FAILED]);
    expect(server.captchas.answerFor(challengeOf(query))).toBeUndefined();

    const again = await refusal(answer(stream, query, { username: "ann", password: "pw", ocr: "7Kx2p" }));
    expect([again.constructor, again.type, again.text]).toEqual([NotAllowedError, "cancel", FAILED]);
    expect(server.users.has("ann")).toBe(false);
  });

  it("refuses a challenge it never issued", async () => {
    const server = await start({ captcha: { answer: () => "123456" } });
    const stream = await streamTo(server);
    const err = await refusal(answerTo(stream, "1234567890", { username: "ann", password: "pw", ocr: "123456" }));
    expect([err.constructor, err.type, err.text]).toEqual([NotAllowedError, "cancel", FAILED]);
    expect(server.users.has("ann")).toBe(false);
  });

  it("refuses an expired challenge: ttlMs on the server's clock", async () => {
    const { server, clock } = await startWithClock({ captcha: { ttlMs: 1000 } });
    const stream = await streamTo(server);
    const early = await inquire(stream, "early");
    const late = await inquire(stream, "late");
    const answers = [early, late].map((q) => server.captchas.answerFor(challengeOf(q)) as string);

    clock.time += 999;
    await answer(stream, early, { username: "ann", password: "pw", ocr: answers[0] as string });
    expect(server.users.has("ann")).toBe(true);

    clock.time += 1;
    expect([server.captchas.answerFor(challengeOf(late)), server.captchas.size]).toEqual([undefined, 0]);
    const err = await refusal(answer(stream, late, { username: "bob", password: "pw", ocr: answers[1] as string }));
    expect([err.constructor, err.text]).toEqual([NotAllowedError, FAILED]);
    expect(server.users.has("bob")).toBe(false);
  });

  it("keeps a challenge for 120 s by default", async () => {
    const { server, clock } = await startWithClock({ captcha: {} });
    const challenge = challengeOf(await inquire(await streamTo(server)));
    clock.time += 119_999;
    expect(server.captchas.answerFor(challenge)).toBeDefined();
    clock.time += 1;
    expect(server.captchas.answerFor(challenge)).toBeUndefined();
  });

  it("refuses legacy fields with cancel / not-allowed: a CAPTCHA is required", async () => {
    const server = await start({ captcha: {} });
    const stream = await streamTo(server);
    const legacy = xml("query", { xmlns: REGISTER }, xml("username", {}, "ann"), xml("password", {}, "pw"));
    const err = await refusal(stream.set(legacy, { to: stream.domain }));
    expect(err).toBeInstanceOf(NotAllowedError);
    expect([err.type, err.text]).toEqual(["cancel", REQUIRED]);
    expect(server.users.has("ann")).toBe(false);
  });

  it("answers a form without its challenge or text with 400, and spends nothing", async () => {
    const server = await start({ captcha: {} });
    const stream = await streamTo(server);
    const query = await inquire(stream);
    const err = await refusal(answer(stream, query, { username: "ann", password: "pw" }));
    expect([err.constructor, err.text]).toEqual([BadRequestError, MALFORMED]);
    expect(server.captchas.answerFor(challengeOf(query))).toBeDefined();
  });

  it("goes on to the usual registration after a right answer: a taken name is a 409, and the challenge is spent", async () => {
    const server = await start({ captcha: {}, accounts: [{ username: "ann", password: "old" }] });
    const stream = await streamTo(server);
    const query = await inquire(stream);
    const ocr = server.captchas.last()?.answer as string;
    const err = await refusal(answer(stream, query, { username: "ann", password: "pw", ocr }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(server.captchas.size).toBe(0);
    const missing = await refusal(
      answer(stream, await inquire(stream), { password: "pw", ocr: server.captchas.last()?.answer as string }),
    );
    expect(missing.condition).toBe("not-acceptable");
  });

  it("writes its refusals in the configured error style (legacy: code 405 and the text)", async () => {
    const server = await start({ captcha: {}, errors: "legacy" });
    const client = await connect(server);
    client.send(iq("set", "r", REGISTER, registerText("ann", "pw")));
    const error = (await client.next()).getChild("error");
    expect([error?.attrs.code, error?.attrs.type, error?.getText()]).toEqual(["405", undefined, REQUIRED]);
  });

  it("lets several registrations share a stream, one challenge each", async () => {
    const server = await start({ captcha: {} });
    const stream = await streamTo(server);
    for (const username of ["ann", "bob"]) {
      const query = await inquire(stream);
      await answer(stream, query, { username, password: "pw", ocr: server.captchas.last()?.answer as string });
    }
    expect(server.users.usernames()).toEqual(["ann", "bob"]);
  });
});

describe("options", () => {
  it.each<[string, ServerOptions]>([
    ["captcha with oobUrl", { captcha: {}, oobUrl: "https://example.org/register" }],
    ["ttlMs 0", { captcha: { ttlMs: 0 } }],
    ["ttlMs NaN", { captcha: { ttlMs: Number.NaN } }],
    ["another formType", { captcha: { formType: "jabber:x:data" as "urn:xmpp:captcha" } }],
    ["an answer that is not a function", { captcha: { answer: "123456" as unknown as () => string } }],
  ])("refuses %s", async (_, options) => {
    await expect(startServer(options)).rejects.toThrow(InvalidOptionError);
  });
});
