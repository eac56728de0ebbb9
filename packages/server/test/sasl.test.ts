// RFC 6120 SASL (PLAIN and SCRAM-SHA-1), resource binding and session on 1.0 streams – with @xmpp/client 0.14 and raw.
import { xml, client as xmppClient } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import { clientFinalMessage, clientFirstMessage } from "../src/scram/proof.js";
import { modernHeader, type RawClient } from "./helpers/raw-client.js";
import { AUTH, iq, REGISTER, useServers } from "./helpers/server.js";

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
  it("offers SCRAM-SHA-1 and PLAIN, register and iq-auth before login; success restarts; then bind and session", async () => {
    const server = await start({ accounts: [{ username: "ann", password: "pw" }] });
    const client = await connect(server);
    const names = client.features?.getChildElements().map((c) => c.name);
    expect(names).toEqual(["mechanisms", "register", "auth"]);
    const offered = client.features
      ?.getChild("mechanisms", SASL)
      ?.getChildren("mechanism")
      .map((m) => m.getText());
    expect(offered).toEqual(["SCRAM-SHA-1", "PLAIN"]);
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
      auth(plain("", "ann", "pw"), "DIGEST-MD5"),
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

describe("raw SASL SCRAM-SHA-1", () => {
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  const text = (el: Element) => Buffer.from(el.getText(), "base64").toString();
  const condition = (el: Element) => (el.is("failure", SASL) ? el.getChildElements()[0]?.name : el.name);
  const response = (payload: string) => `<response xmlns='${SASL}'>${payload}</response>`;

  /** `<auth/>` with `clientFirst`, then the server's challenge (or failure). */
  async function begin(client: RawClient, clientFirst: string) {
    client.send(auth(b64(clientFirst), "SCRAM-SHA-1"));
    return client.next();
  }

  /** The whole exchange for `password`; the server's last element and the server-final it should carry. */
  async function exchange(client: RawClient, username: string, password: string, authzid?: string) {
    const clientFirst = clientFirstMessage(username, "rOprNGfwEbeRWgbNEkqO", authzid);
    const challenge = await begin(client, clientFirst);
    expect(challenge.is("challenge", SASL)).toBe(true);
    const final = clientFinalMessage({ password, clientFirst, serverFirst: text(challenge) });
    if (!final) throw new Error(`unexpected server-first: ${text(challenge)}`);
    client.send(response(b64(final.message)));
    return { last: await client.next(), expected: final.expectedServerFinal };
  }

  it("challenges with the client's nonce extended, the salt and 10,000 iterations; succeeds with the server signature", async () => {
    const server = await start({ accounts: [{ username: "ann", password: "pencil" }] });
    const client = await connect(server);
    const challenge = await begin(client, "n,,n=ann,r=rOprNGfwEbeRWgbNEkqO");
    expect(text(challenge)).toMatch(/^r=rOprNGfwEbeRWgbNEkqO[!-+\--~]{8,},s=[A-Za-z0-9+/]+=*,i=10000$/);
    const final = clientFinalMessage({
      password: "pencil",
      clientFirst: "n,,n=ann,r=rOprNGfwEbeRWgbNEkqO",
      serverFirst: text(challenge),
    });
    client.send(response(b64(final?.message ?? "")));
    const success = await client.next();
    expect(success.is("success", SASL)).toBe(true);
    expect(text(success)).toBe(final?.expectedServerFinal);
    await client.restart(modernHeader("localhost"));
    expect((await client.next()).getChildElements().map((c) => c.name)).toEqual(["bind", "session"]);
    client.send(`<iq type='set' id='b'><bind xmlns='${BIND}'><resource>desk</resource></bind></iq>`);
    expect((await client.next()).getChild("bind", BIND)?.getChildText("jid")).toBe("ann@localhost/desk");
  });

  it("uses the configured iteration count, a fresh salt per password, and the own bare JID as authzid", async () => {
    const server = await start({ scramIterations: 4096 });
    server.users.add({ username: "ann", password: "pencil" });
    server.users.add({ username: "bob", password: "pencil" });
    const salts: string[] = [];
    for (const name of ["ann", "bob"]) {
      const client = await connect(server);
      const challenge = await begin(client, `n,,n=${name},r=abc`);
      expect(text(challenge)).toMatch(/,i=4096$/);
      salts.push(text(challenge).split(",")[1] ?? "");
    }
    expect(salts[0]).not.toBe(salts[1]);
    const { last, expected } = await exchange(await connect(server), "ann", "pencil", "ann@localhost");
    expect([last.name, text(last)]).toEqual(["success", expected]);
  });

  it("a wrong password: <failure><not-authorized/></failure>, the stream stays open for another try", async () => {
    const server = await start({ accounts: [{ username: "ann", password: "pencil" }] });
    const client = await connect(server);
    expect(condition((await exchange(client, "ann", "crayon")).last)).toBe("not-authorized");
    const { last } = await exchange(client, "ann", "pencil");
    expect(last.is("success", SASL)).toBe(true);
  });

  it("refuses an unknown user, another authzid and malformed messages with a failure, never a crash", async () => {
    const server = await start({ accounts: [{ username: "ann", password: "pencil" }] });
    const client = await connect(server);
    const firsts: [string, string][] = [
      ["n,,n=nobody,r=abc", "not-authorized"],
      ["n,a=bob@localhost,n=ann,r=abc", "invalid-authzid"],
      ["p=tls-unique,,n=ann,r=abc", "malformed-request"],
      ["n,,m=ext,n=ann,r=abc", "malformed-request"],
      ["garbage", "malformed-request"],
      ["n,,n=a=ZZnn,r=abc", "malformed-request"],
    ];
    for (const [first, expected] of firsts)
      expect([first, condition(await begin(client, first))]).toEqual([first, expected]);
    client.send(auth("not base64!", "SCRAM-SHA-1"));
    expect(condition(await client.next())).toBe("incorrect-encoding");
    client.send(auth("", "SCRAM-SHA-1"));
    expect(condition(await client.next())).toBe("malformed-request");
    client.send(response(b64("c=biws,r=abc,p=dGVzdA==")));
    expect(condition(await client.next())).toBe("malformed-request");

    const finals = [
      () => "garbage",
      (nonce: string) => `c=biws,r=${nonce}`,
      (nonce: string) => `c=biws,r=${nonce}x,p=${b64("12345678901234567890")}`,
      (nonce: string) => `c=eSws,r=${nonce},p=${b64("12345678901234567890")}`,
      (nonce: string) => `c=biws,r=${nonce},p=${b64("short")}`,
    ];
    const results: string[] = [];
    for (const final of finals) {
      const challenge = await begin(client, "n,,n=ann,r=abc");
      const nonce = text(challenge).split(",")[0]?.slice(2) ?? "";
      client.send(response(b64(final(nonce))));
      results.push(condition(await client.next()) ?? "");
    }
    expect(results).toEqual([
      "malformed-request",
      "malformed-request",
      "not-authorized",
      "not-authorized",
      "not-authorized",
    ]);
    // A response in an invalid encoding, then <abort/> in the middle of an exchange.
    await begin(client, "n,,n=ann,r=abc");
    client.send(response("%%%%"));
    expect(condition(await client.next())).toBe("incorrect-encoding");
    await begin(client, "n,,n=ann,r=abc");
    client.send(`<abort xmlns='${SASL}'/>`);
    expect(condition(await client.next())).toBe("aborted");
    // After all that, the stream still logs in.
    expect((await exchange(client, "ann", "pencil")).last.is("success", SASL)).toBe(true);
  });

  it("checks only the stored keys: a changed password logs in, the old one does not; PLAIN agrees", async () => {
    const server = await start({ accounts: [{ username: "ann", password: "old" }] });
    const session = await connect(server);
    session.send(iq("set", "l", AUTH, "<username>ann</username><password>old</password><resource>r</resource>"));
    await session.next();
    session.send(iq("set", "c", REGISTER, "<password>new</password>"));
    expect((await session.next()).attrs.type).toBe("result");
    expect(condition((await exchange(await connect(server), "ann", "old")).last)).toBe("not-authorized");
    expect((await exchange(await connect(server), "ann", "new")).last.is("success", SASL)).toBe(true);
    const plainClient = await connect(server);
    plainClient.send(auth(plain("", "ann", "old")));
    expect(condition(await plainClient.next())).toBe("not-authorized");
    plainClient.send(auth(plain("", "ann", "new")));
    expect((await plainClient.next()).is("success", SASL)).toBe(true);
  });

  it("normalises passwords with SASLprep; one SASLprep prohibits still logs in with jabber:iq:auth, never with SASL", async () => {
    const server = await start({
      accounts: [
        { username: "ann", password: "I\u00adX" },
        { username: "bel", password: "bell\ue000" },
      ],
    });
    expect((await exchange(await connect(server), "ann", "IX")).last.is("success", SASL)).toBe(true);
    const plainClient = await connect(server);
    plainClient.send(auth(plain("", "bel", "bell\ue000")));
    expect(condition(await plainClient.next())).toBe("not-authorized");
    expect(condition(await begin(plainClient, "n,,n=bel,r=abc"))).toBe("not-authorized");
    plainClient.send(
      iq("set", "l", AUTH, "<username>bel</username><password>bell\ue000</password><resource>r</resource>"),
    );
    expect((await plainClient.next()).attrs.type).toBe("result");
  });
});
