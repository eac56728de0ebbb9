// RFC 6120 SASL PLAIN, resource binding and session on 1.0 streams – with the real @xmpp/client 0.14 and raw.
import { xml, client as xmppClient } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { iq, REGISTER, useServers } from "./helpers/server.js";

const { start, connect } = useServers();
const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const BIND = "urn:ietf:params:xml:ns:xmpp-bind";
const plain = (authzid: string, user: string, password: string) =>
  Buffer.from(`${authzid}\u0000${user}\u0000${password}`).toString("base64");
const auth = (payload: string, mechanism = "PLAIN") =>
  `<auth xmlns='${SASL}' mechanism='${mechanism}'>${payload}</auth>`;

describe("@xmpp/client 0.14", () => {
  it("logs in with SASL PLAIN, binds its resource and goes online", async () => {
    const server = await start({ accounts: [{ username: "ann", password: "pw" }] });
    const xmpp = xmppClient({
      service: `xmpp://127.0.0.1:${server.port}`,
      domain: "localhost",
      resource: "laptop",
      // xmpp.js 0.14 picks PLAIN only on a secure socket; the embedded server is on loopback, so ask for it.
      credentials: (authenticate) => authenticate({ username: "ann", password: "pw" }, "PLAIN", xml("user-agent")),
    });
    xmpp.on("error", () => {});
    const online = new Promise<string>((resolve) => xmpp.on("online", (jid) => resolve(jid.toString())));
    await xmpp.start();
    expect(await online).toBe("ann@localhost/laptop");
    // In the session: the in-band password change works over the xmpp.js stream too.
    await xmpp.iqCaller.set(xml("query", { xmlns: REGISTER }, xml("password", {}, "pw2")));
    await xmpp.stop();
    const check = await connect(server);
    check.send(auth(plain("", "ann", "pw2")));
    expect((await check.next()).is("success", SASL)).toBe(true);
  });
});

describe("raw SASL PLAIN", () => {
  it("offers PLAIN, register and iq-auth before login; success restarts; then bind and session are offered", async () => {
    const server = await start({ accounts: [{ username: "ann", password: "pw" }] });
    const client = await connect(server);
    const names = client.features?.getChildElements().map((c) => c.name);
    expect(names).toEqual(["mechanisms", "register", "auth"]);
    expect(client.features?.getChild("mechanisms", SASL)?.getChildText("mechanism")).toBe("PLAIN");
    const firstId = client.header.id;
    client.send(auth(plain("", "ann", "pw")));
    expect((await client.next()).is("success", SASL)).toBe(true);
    await client.restart(
      `<stream:stream to='localhost' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`,
    );
    expect(client.header.id).not.toBe(firstId);
    const features = await client.next();
    expect(features.getChildElements().map((c) => c.name)).toEqual(["bind", "session"]);
    client.send(`<iq type='set' id='b'><bind xmlns='${BIND}'><resource>desk</resource></bind></iq>`);
    const bound = await client.next();
    expect([bound.attrs.type, bound.getChild("bind", BIND)?.getChildText("jid")]).toEqual([
      "result",
      "ann@localhost/desk",
    ]);
    client.send("<iq type='set' id='s'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
    expect((await client.next()).attrs).toMatchObject({ type: "result", id: "s", to: "ann@localhost/desk" });
    client.send(iq("get", "g", REGISTER));
    expect((await client.next()).getChild("query")?.getChild("registered")).toBeDefined();
  });

  it("makes up a resource when none is asked for, and refuses one in use (409)", async () => {
    const server = await start({ accounts: [{ username: "ann", password: "pw" }], ids: () => "CAFE0001" });
    const bindOn = async (resource: string) => {
      const client = await connect(server);
      client.send(auth(plain("ann@localhost", "ann", "pw")));
      await client.next();
      await client.restart(
        `<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`,
      );
      await client.next();
      client.send(`<iq type='set' id='b'><bind xmlns='${BIND}'>${resource}</bind></iq>`);
      return client.next();
    };
    expect((await bindOn("")).getChild("bind")?.getChildText("jid")).toBe("ann@localhost/reguser-CAFE0001");
    expect((await bindOn("<resource>reguser-CAFE0001</resource>")).getChild("error")?.attrs.code).toBe("409");
  });

  it("answers failures: not-authorized, invalid-mechanism, incorrect-encoding, invalid-authzid; the stream stays open", async () => {
    const server = await start({ accounts: [{ username: "ann", password: "pw" }] });
    const client = await connect(server);
    const conditions: string[] = [];
    for (const attempt of [
      auth(plain("", "ann", "wrong")),
      auth(plain("", "ann", "pw"), "SCRAM-SHA-1"),
      auth("not base64!"),
      auth(plain("bob@localhost", "ann", "pw")),
      auth(""),
    ]) {
      client.send(attempt);
      const failure = await client.next();
      expect(failure.is("failure", SASL)).toBe(true);
      conditions.push(failure.getChildElements()[0]?.name ?? "");
    }
    expect(conditions).toEqual([
      "not-authorized",
      "invalid-mechanism",
      "incorrect-encoding",
      "invalid-authzid",
      "malformed-request",
    ]);
    client.send(auth(plain("", "ann", "pw")));
    expect((await client.next()).is("success", SASL)).toBe(true);
  });

  it("binding needs a login first (401), and sasl: false offers no mechanisms", async () => {
    const server = await start({ sasl: false });
    const client = await connect(server);
    expect(client.features?.getChild("mechanisms", SASL)).toBeUndefined();
    client.send(`<iq type='set' id='b'><bind xmlns='${BIND}'/></iq>`);
    expect((await client.next()).getChild("error")?.attrs.code).toBe("503");
    const withSasl = await connect(await start());
    withSasl.send(`<iq type='set' id='b'><bind xmlns='${BIND}'/></iq>`);
    expect((await withSasl.next()).getChild("error")?.attrs.code).toBe("401");
  });
});
