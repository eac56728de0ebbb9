// jabber:iq:register inside a session: <registered/>, password change (with the old-password form), <remove/>.
import { parseDataForm } from "@reguser/protocol";
import { describe, expect, it } from "vitest";
import { AUTH, iq, loginPlain, REGISTER, registerAndLogin, useServers } from "./helpers/server.js";

const { start, connect } = useServers();
const DATA = "jabber:x:data";
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

const canLogin = async (server: Awaited<ReturnType<typeof start>>, password: string) => {
  const client = await connect(server);
  client.send(iq("set", "l", AUTH, `<username>ann</username><password>${password}</password><resource>x</resource>`));
  const ok = (await client.next()).attrs.type === "result";
  client.destroy();
  return ok;
};

describe("in a session", () => {
  it("shows <registered/>, the username and the stored fields on the IQ-get", async () => {
    const server = await start();
    const client = await connect(server);
    client.send(iq("set", "r", REGISTER, "<username>ann</username><password>pw</password><name>Ann</name>"));
    await client.next();
    await loginPlain(client, "ann", "pw", "desk");
    client.send(iq("get", "g", REGISTER));
    const reply = await client.next();
    expect(reply.attrs.to).toBe("ann@localhost/desk");
    const query = reply.getChild("query", REGISTER);
    expect(query?.getChild("registered")).toBeDefined();
    expect([query?.getChildText("username"), query?.getChildText("name")]).toEqual(["ann", "Ann"]);
  });

  it("changes the password (no username needed, as Example 7-2) and other fields", async () => {
    const server = await start();
    const client = await connect(server);
    await registerAndLogin(client, "ann", "old-pw");
    client.send(
      iq("set", "c", REGISTER, "<password>new-pw</password><email>ann@example.org</email>", " to='localhost'"),
    );
    expect((await client.next()).attrs).toMatchObject({ type: "result", id: "c", from: "localhost" });
    expect(server.users.get("ann")?.fields).toEqual({ email: "ann@example.org" });
    expect(await canLogin(server, "old-pw")).toBe(false);
    expect(await canLogin(server, "new-pw")).toBe(true);
  });

  it("refuses to change another user's account (403) and an empty password (406)", async () => {
    const server = await start({ accounts: [{ username: "bob", password: "pw" }] });
    const client = await connect(server);
    await registerAndLogin(client, "ann", "pw");
    client.send(iq("set", "c1", REGISTER, "<username>bob</username><password>mine</password>"));
    expect((await client.next()).getChild("error")?.attrs.code).toBe("403");
    client.send(iq("set", "c2", REGISTER, "<password></password>"));
    expect((await client.next()).getChild("error")?.attrs.code).toBe("406");
  });

  it("requireOldPassword: 401 with the changepassword form, then the filled form changes it", async () => {
    const server = await start({ requireOldPassword: true });
    const client = await connect(server);
    await registerAndLogin(client, "ann", "old-pw");
    client.send(iq("set", "c1", REGISTER, "<username>ann</username><password>new-pw</password>"));
    const refused = await client.next();
    expect(refused.attrs.type).toBe("error");
    const error = refused.getChild("error");
    expect([error?.attrs.code, error?.attrs.type, error?.getChild("not-authorized", STANZAS)]).toEqual([
      "401",
      "modify",
      expect.anything(),
    ]);
    const x = refused.getChild("query", REGISTER)?.getChild("x", DATA);
    const form = parseDataForm(x as NonNullable<typeof x>);
    expect(form.fields.map((f) => [f.var, f.type, f.required, f.values])).toEqual([
      ["FORM_TYPE", "hidden", false, ["jabber:iq:register:changepassword"]],
      ["username", "text-single", true, ["ann"]],
      ["old_password", "text-private", true, []],
      ["password", "text-private", true, []],
    ]);
    const submit = (old: string) =>
      iq(
        "set",
        "c2",
        REGISTER,
        `<x xmlns='${DATA}' type='submit'><field var='FORM_TYPE' type='hidden'><value>jabber:iq:register:changepassword</value></field><field var='username'><value>ann</value></field><field var='old_password'><value>${old}</value></field><field var='password'><value>new-pw</value></field></x>`,
      );
    client.send(submit("wrong"));
    expect((await client.next()).getChild("error")?.attrs.code).toBe("401");
    expect(await canLogin(server, "old-pw")).toBe(true);
    client.send(submit("old-pw"));
    expect((await client.next()).attrs.type).toBe("result");
    expect(await canLogin(server, "new-pw")).toBe(true);
  });

  it("<remove/>: result, then <stream:error><not-authorized/><text>Account deleted</text>, then the close", async () => {
    const server = await start();
    const client = await connect(server);
    await registerAndLogin(client, "ann", "pw");
    client.send(iq("set", "rm", REGISTER, "<remove/>"));
    expect((await client.next()).attrs).toMatchObject({ type: "result", id: "rm" });
    const streamError = await client.next();
    expect(streamError.name).toBe("stream:error");
    const streams = "urn:ietf:params:xml:ns:xmpp-streams";
    expect(streamError.getChild("not-authorized", streams)).toBeDefined();
    expect(streamError.getChildText("text", streams)).toBe("Account deleted");
    await client.closed;
    expect(client.ended).toBe(true);
    expect(server.users.has("ann")).toBe(false);
    // Unlike jabberd 1.4 (409 until restart), the name is free again at once, as on Prosody, ejabberd, jabberd2.
    const again = await connect(server);
    await registerAndLogin(again, "ann", "pw");
  });
});
