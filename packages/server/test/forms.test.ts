// XEP-0077 §6 data-form registration and §5 OOB redirection, so a client's form and OOB handling can be tested.
import { parseDataForm } from "@reguser/protocol";
import { describe, expect, it } from "vitest";
import { iq, REGISTER, registerText, useServers } from "./helpers/server.js";

const { start, connect } = useServers();
const DATA = "jabber:x:data";

const submission = (formType: string, values: Record<string, string>) =>
  `<x xmlns='${DATA}' type='submit'><field var='FORM_TYPE' type='hidden'><value>${formType}</value></field>${Object.entries(
    values,
  )
    .map(([name, value]) => `<field var='${name}'><value>${value}</value></field>`)
    .join("")}</x>`;

describe("registrationForm", () => {
  it("'both': the legacy fields and a form with FORM_TYPE jabber:iq:register, username and password required", async () => {
    const server = await start({ registrationForm: "both", fields: ["email"], requiredFields: ["email"] });
    const client = await connect(server);
    client.send(iq("get", "q", REGISTER));
    const query = (await client.next()).getChild("query", REGISTER);
    expect(query?.getChildElements().map((c) => c.name)).toEqual([
      "instructions",
      "email",
      "username",
      "password",
      "x",
    ]);
    const x = query?.getChild("x", DATA);
    expect(x?.attrs.type).toBe("form");
    const form = parseDataForm(x as NonNullable<typeof x>);
    expect(form.fields.map((f) => [f.var, f.type, f.required, f.values])).toEqual([
      ["FORM_TYPE", "hidden", false, [REGISTER]],
      ["username", "text-single", true, []],
      ["password", "text-private", true, []],
      ["email", "text-single", true, []],
    ]);
  });

  it("accepts a form submission, and legacy fields too in 'both' mode", async () => {
    const server = await start({ registrationForm: "both" });
    const client = await connect(server);
    client.send(iq("set", "f", REGISTER, submission(REGISTER, { username: "ann", password: "pw", email: "a@b" })));
    expect((await client.next()).attrs.type).toBe("result");
    expect(server.users.get("ann")?.fields).toEqual({ email: "a@b" });
    client.send(iq("set", "l", REGISTER, registerText("bob", "pw")));
    expect((await client.next()).attrs.type).toBe("result");
  });

  it("'only': the form alone; legacy fields are not read (406), a form with another FORM_TYPE is a 400", async () => {
    const server = await start({ registrationForm: "only" });
    const client = await connect(server);
    client.send(iq("get", "q", REGISTER));
    const query = (await client.next()).getChild("query", REGISTER);
    expect(query?.getChildElements().map((c) => c.name)).toEqual(["instructions", "x"]);
    client.send(iq("set", "legacy", REGISTER, registerText("ann", "pw")));
    expect((await client.next()).getChild("error")?.attrs.code).toBe("406");
    client.send(iq("set", "other", REGISTER, submission("urn:xmpp:captcha", { username: "ann", password: "pw" })));
    expect((await client.next()).getChild("error")?.attrs.code).toBe("400");
    client.send(iq("set", "form", REGISTER, submission(REGISTER, { username: "ann", password: "pw" })));
    expect((await client.next()).attrs.type).toBe("result");
    expect(server.users.has("ann")).toBe(true);
  });
});

describe("oobUrl", () => {
  it("the inquiry carries only instructions and the jabber:x:oob URL", async () => {
    const server = await start({ oobUrl: "https://example.org/signup" });
    const client = await connect(server);
    client.send(iq("get", "q", REGISTER));
    const query = (await client.next()).getChild("query", REGISTER);
    expect(query?.getChildElements().map((c) => c.name)).toEqual(["instructions", "x"]);
    expect(query?.getChildText("instructions")).toBe("To register, visit https://example.org/signup");
    expect(query?.getChild("x", "jabber:x:oob")?.getChildText("url")).toBe("https://example.org/signup");
  });

  it("refuses an in-band attempt with 405 not-allowed naming the URL (after 406 and 409, as the book orders them)", async () => {
    const server = await start({
      oobUrl: "https://example.org/signup",
      accounts: [{ username: "taken", password: "pw" }],
    });
    const client = await connect(server);
    const codes: (string | undefined)[] = [];
    for (const children of ["<username>ann</username>", registerText("taken", "pw"), registerText("ann", "pw")]) {
      client.send(iq("set", "s", REGISTER, children));
      codes.push((await client.next()).getChild("error")?.attrs.code);
    }
    expect(codes).toEqual(["406", "409", "405"]);
    client.send(iq("set", "s", REGISTER, registerText("ann", "pw")));
    const error = (await client.next()).getChild("error");
    expect(error?.getChild("not-allowed", "urn:ietf:params:xml:ns:xmpp-stanzas")).toBeDefined();
    expect(error?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas")).toContain("https://example.org/signup");
  });
});
