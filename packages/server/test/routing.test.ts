// Messages and IQs between local users (RFC 6120 §10, RFC 6121 §8.5), and server.sessions, over real TCP with raw
// peers logged in by iq:auth. No sleeps: absence is checked by a marker the server sends after everything else.
import { InvalidOptionError } from "@reguser/errors";
import xml, { type Element } from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import type { EmbeddedServer, ServerOptions } from "../src/index.js";
import { conditionOf, messageWith, type Peer, peer, presenceFrom } from "./helpers/peers.js";
import { useServers } from "./helpers/server.js";

const { start, connect } = useServers();
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

const serverFor = (options: ServerOptions = {}) =>
  start({ accounts: ["ann", "bob", "cat"].map((u) => ({ username: u, password: `${u}-pw` })), ...options });

/** `username/resource` logged in; with `presence`, that sent (and its echo read). */
async function login(server: EmbeddedServer, username: string, resource = "r", presence?: string): Promise<Peer> {
  const p = await peer(server, await connect(server), username, resource);
  if (presence !== undefined) {
    p.send(presence);
    await p.next(presenceFrom(p.jid));
  }
  return p;
}

const bodies = (els: Element[]) => els.filter((el) => el.name === "message").map((el) => el.getChildText("body"));

describe("a message to a full JID", () => {
  it("reaches that resource (presence or not), from stamped with the sender's full JID, its children intact", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann", "desk");
    const bob = await login(server, "bob", "desk");
    ann.send(
      "<message to='bob@localhost/desk' type='chat' id='m1'><body>hi &amp; bye</body>" +
        "<x xmlns='urn:example:extra'><y a='1'>text</y></x></message>",
    );
    const got = await bob.next(messageWith("hi & bye"));
    expect(got.attrs).toEqual({ to: "bob@localhost/desk", type: "chat", id: "m1", from: "ann@localhost/desk" });
    expect(got.getChild("x", "urn:example:extra")?.getChild("y")?.toString()).toBe('<y a="1">text</y>');
    await ann.sync();
    expect(await ann.received()).toEqual([]);
  });

  it("never trusts a from the client wrote", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann");
    const bob = await login(server, "bob");
    ann.send("<message to='bob@localhost/r' from='cat@localhost/r'><body>one</body></message>");
    ann.send("<message to='bob@localhost/r' from='mallory@elsewhere.example/x'><body>two</body></message>");
    expect((await bob.next(messageWith("one"))).attrs.from).toBe("ann@localhost/r");
    expect((await bob.next(messageWith("two"))).attrs.from).toBe("ann@localhost/r");
  });
});

describe("a message to a bare JID (RFC 6121 §8.5.2)", () => {
  it("chat and normal: every available resource of the highest priority; headline: every non-negative one", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann");
    const a = await login(server, "bob", "a", "<presence><priority>5</priority></presence>");
    const b = await login(server, "bob", "b", "<presence><priority>5</priority></presence>");
    const c = await login(server, "bob", "c", "<presence><priority>1</priority></presence>");
    const negative = await login(server, "bob", "negative", "<presence><priority>-1</priority></presence>");
    const quiet = await login(server, "bob", "quiet");
    ann.send("<message to='bob@localhost' type='chat'><body>chat</body></message>");
    ann.send("<message to='bob@localhost'><body>normal</body></message>");
    ann.send("<message to='bob@localhost' type='headline'><body>news</body></message>");
    await ann.sync();
    const got = await Promise.all([a, b, c, negative, quiet].map(async (p) => bodies(await p.received())));
    expect(got).toEqual([["chat", "normal", "news"], ["chat", "normal", "news"], ["news"], [], []]);
    expect(await ann.received()).toEqual([]);
  });

  it("nobody available (a negative priority, no presence): service-unavailable for chat and normal only", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann");
    const negative = await login(server, "bob", "negative", "<presence><priority>-1</priority></presence>");
    const quiet = await login(server, "bob", "quiet");
    for (const [id, type] of [
      ["c", "chat"],
      ["n", undefined],
      ["h", "headline"],
      ["e", "error"],
    ] as const) {
      ann.send(xml("message", { to: "bob@localhost", id, type }, xml("body", {}, `to bob ${id}`)));
    }
    await ann.sync();
    const replies = await ann.received();
    expect(replies.map((el) => [el.attrs.id, el.attrs.type, el.attrs.from, el.attrs.to, conditionOf(el)])).toEqual([
      ["c", "error", "bob@localhost", "ann@localhost/r", "service-unavailable"],
      ["n", "error", "bob@localhost", "ann@localhost/r", "service-unavailable"],
    ]);
    // Both error styles (the default), and the sender's own body echoed back.
    const error = replies[0]?.getChild("error");
    expect([error?.attrs.code, error?.attrs.type, error?.getChildText("text", STANZAS)]).toEqual([
      "503",
      "cancel",
      "Service Unavailable",
    ]);
    expect(replies[0]?.getChildText("body")).toBe("to bob c");
    expect([bodies(await negative.received()), bodies(await quiet.received())]).toEqual([[], []]);
  });

  it("groupchat is refused even with resources available; a message of type error is dropped", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann");
    const bob = await login(server, "bob", "r", "<presence/>");
    ann.send("<message to='bob@localhost' type='groupchat' id='g'><body>room</body></message>");
    ann.send("<message to='bob@localhost' type='error' id='e'><body>oops</body></message>");
    await ann.sync();
    expect((await ann.received()).map((el) => [el.attrs.id, conditionOf(el)])).toEqual([["g", "service-unavailable"]]);
    expect(bodies(await bob.received())).toEqual([]);
  });

  it("an unknown user gets exactly the answers a user with nobody online gets", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann");
    for (const to of ["nobody@localhost", "bob@localhost", "nobody@localhost/r", "bob@localhost/r"]) {
      ann.send(xml("message", { to, type: "chat", id: to }, xml("body", {}, "hello?")));
      ann.send(xml("message", { to, type: "headline" }, xml("body", {}, "news")));
    }
    await ann.sync();
    const replies = await ann.received();
    const shape = (el: Element) => {
      const { from: _from, id: _id, ...attrs } = el.attrs;
      return [attrs, el.getChild("error")?.toString()];
    };
    expect(replies.map((el) => el.attrs.id)).toEqual([
      "nobody@localhost",
      "bob@localhost",
      "nobody@localhost/r",
      "bob@localhost/r",
    ]);
    expect(new Set(replies.map((el) => JSON.stringify(shape(el)))).size).toBe(1);
    expect(conditionOf(replies[0] as Element)).toBe("service-unavailable");
  });

  it("without a to, goes to the sender's own bare JID: its available resources", async () => {
    const server = await serverFor();
    const a = await login(server, "ann", "a", "<presence/>");
    const b = await login(server, "ann", "b", "<presence/>");
    const quiet = await login(server, "ann", "quiet");
    a.send("<message type='chat'><body>note to self</body></message>");
    const got = await b.next(messageWith("note to self"));
    expect(got.attrs).toMatchObject({ from: "ann@localhost/a", to: "ann@localhost" });
    expect(bodies(await a.received())).toEqual(["note to self"]);
    expect(bodies(await quiet.received())).toEqual([]);
  });
});

describe("addresses this server does not serve", () => {
  it("another domain: remote-server-not-found (no server-to-server); a malformed to: jid-malformed", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann");
    ann.send("<message to='x@elsewhere.example' type='chat' id='m'><body>far</body></message>");
    ann.send("<iq to='y@elsewhere.example/r' type='get' id='i'><ping xmlns='urn:xmpp:ping'/></iq>");
    ann.send("<presence to='z@elsewhere.example' id='p'/>");
    ann.send("<message to='x@elsewhere.example' type='error' id='e'/>");
    ann.send("<message to='bad@@localhost' id='bad'><body>?</body></message>");
    await ann.sync();
    const replies = await ann.received();
    expect(replies.map((el) => [el.name, el.attrs.id, el.attrs.type, el.attrs.from, conditionOf(el)])).toEqual([
      ["message", "m", "error", "x@elsewhere.example", "remote-server-not-found"],
      ["iq", "i", "error", "y@elsewhere.example/r", "remote-server-not-found"],
      ["presence", "p", "error", "z@elsewhere.example", "remote-server-not-found"],
      ["message", "bad", "error", "bad@@localhost", "jid-malformed"],
    ]);
  });
});

describe("after the recipient went away", () => {
  it("a chat to its full JID goes to another available resource, then earns service-unavailable", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann");
    const desk = await login(server, "bob", "desk", "<presence/>");
    const phone = await login(server, "bob", "phone", "<presence/>");
    expect(server.sessions.online("bob")).toEqual(["bob@localhost/desk", "bob@localhost/phone"]);
    desk.send("</stream:stream>");
    await desk.client.closed;
    expect(server.sessions.online("bob")).toEqual(["bob@localhost/phone"]);
    ann.send("<message to='bob@localhost/desk' type='chat'><body>still there?</body></message>");
    expect((await phone.next(messageWith("still there?"))).attrs.to).toBe("bob@localhost/desk");

    // Directed presence tells ann when the server has seen phone's connection drop (RFC 6121 §4.6.3).
    phone.send("<presence to='ann@localhost/r'/>");
    await ann.next(presenceFrom(phone.jid));
    phone.client.destroy();
    await ann.next(presenceFrom(phone.jid, "unavailable"));
    ann.send("<message to='bob@localhost/desk' type='chat' id='c'><body>anyone?</body></message>");
    ann.send("<message to='bob@localhost/phone' id='n'><body>anyone?</body></message>");
    ann.send("<message to='bob@localhost/phone' type='headline' id='h'><body>news</body></message>");
    await ann.sync();
    expect((await ann.received()).map((el) => [el.attrs.id, conditionOf(el)])).toEqual([
      ["c", "service-unavailable"],
      ["n", "service-unavailable"],
    ]);
    expect(server.sessions.online("bob")).toEqual([]);
  });
});

describe("IQs between clients (RFC 6120 §10.5.4)", () => {
  it("an IQ to a full JID is routed to it, and its reply back, each from stamped", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann");
    const bob = await login(server, "bob", "phone");
    ann.send(
      "<iq type='get' id='p1' to='bob@localhost/phone' from='cat@localhost/x'><ping xmlns='urn:xmpp:ping'/></iq>",
    );
    const ping = await bob.next((el) => el.name === "iq" && el.attrs.id === "p1");
    expect(ping.attrs).toEqual({ type: "get", id: "p1", to: "bob@localhost/phone", from: "ann@localhost/r" });
    expect(ping.getChild("ping", "urn:xmpp:ping")).toBeDefined();
    bob.send("<iq type='result' id='p1' to='ann@localhost/r'/>");
    const pong = await ann.next((el) => el.attrs.id === "p1");
    expect(pong.attrs).toEqual({ type: "result", id: "p1", to: "ann@localhost/r", from: "bob@localhost/phone" });
  });

  it("another user's bare JID or an unbound full JID: service-unavailable; the sender's own bare JID: the server", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann");
    await login(server, "bob");
    const version = (id: string, to: string) =>
      ann.send(xml("iq", { type: "get", id, to }, xml("query", { xmlns: "jabber:iq:version" })));
    version("bare", "bob@localhost");
    version("gone", "bob@localhost/gone");
    version("nobody", "nobody@localhost/r");
    ann.send("<iq type='result' id='late' to='bob@localhost/gone'/>");
    version("own", "ann@localhost");
    const own = await ann.next((el) => el.attrs.id === "own");
    expect(own.attrs).toMatchObject({ type: "result", from: "ann@localhost" });
    expect(own.getChild("query", "jabber:iq:version")?.getChildText("name")).toBe("reguser-server");
    expect((await ann.received()).map((el) => [el.attrs.id, el.attrs.from, conditionOf(el)])).toEqual([
      ["bare", "bob@localhost", "service-unavailable"],
      ["gone", "bob@localhost/gone", "service-unavailable"],
      ["nobody", "nobody@localhost/r", "service-unavailable"],
    ]);
  });
});

describe("a second login to a full JID in use (RFC 6120 §7.7.2.2)", () => {
  it("is refused with 409 by default; the first session keeps its messages", async () => {
    const server = await serverFor();
    const first = await login(server, "ann", "r", "<presence/>");
    await expect(login(server, "ann", "r")).rejects.toThrow(/login failed: .*code="409"/);
    expect(server.sessions.online("ann")).toEqual(["ann@localhost/r"]);
    const bob = await login(server, "bob");
    bob.send("<message to='ann@localhost/r'><body>for the first</body></message>");
    await first.next(messageWith("for the first"));
  });

  it("with resourceConflict 'replace': the old stream gets <conflict/> and goes offline, the new one takes over", async () => {
    const server = await serverFor({ resourceConflict: "replace", presenceToAll: true });
    const bob = await login(server, "bob", "r", "<presence/>");
    const old = await login(server, "ann", "r", "<presence/>");
    await bob.next(presenceFrom("ann@localhost/r"));
    const fresh = await login(server, "ann", "r");
    const error = await old.next((el) => el.name === "stream:error");
    expect(error.getChild("conflict", "urn:ietf:params:xml:ns:xmpp-streams")).toBeDefined();
    await old.client.closed;
    await bob.next(presenceFrom("ann@localhost/r", "unavailable"));
    expect(server.sessions.online("ann")).toEqual(["ann@localhost/r"]);
    bob.send("<message to='ann@localhost/r'><body>for the new one</body></message>");
    await fresh.next(messageWith("for the new one"));
    await expect(start({ resourceConflict: "kick" as "replace" })).rejects.toThrow(InvalidOptionError);
  });
});

describe("server.sessions", () => {
  it("online() lists the bound full JIDs; send() routes a stanza from the domain by the same rules", async () => {
    const server = await serverFor();
    const a = await login(server, "bob", "a", "<presence/>");
    const b = await login(server, "bob", "b", "<presence><priority>2</priority></presence>");
    const quiet = await login(server, "bob", "quiet");
    expect(server.sessions.online("bob")).toEqual(["bob@localhost/a", "bob@localhost/b", "bob@localhost/quiet"]);
    expect(server.sessions.online("ann")).toEqual([]);
    expect(server.sessions.online("nobody")).toEqual([]);

    const headline = xml("message", { type: "headline" }, xml("body", {}, "maintenance at noon"));
    expect(server.sessions.send("bob@localhost", headline)).toEqual(["bob@localhost/a", "bob@localhost/b"]);
    expect(headline.attrs).toEqual({ type: "headline" });
    for (const p of [a, b]) {
      expect((await p.next(messageWith("maintenance at noon"))).attrs).toEqual({
        type: "headline",
        from: "localhost",
        to: "bob@localhost",
      });
    }
    const chat = xml("message", { type: "chat", from: "localhost/admin" }, xml("body", {}, "to the top"));
    expect(server.sessions.send("bob@localhost", chat)).toEqual(["bob@localhost/b"]);
    expect((await b.next(messageWith("to the top"))).attrs.from).toBe("localhost/admin");
    expect(server.sessions.send("bob@localhost/quiet", headline)).toEqual(["bob@localhost/quiet"]);
    await quiet.next(messageWith("maintenance at noon"));
    expect(server.sessions.send("ann@localhost", headline)).toEqual([]);
    expect(server.sessions.send("ann@localhost", chat)).toEqual([]);
    expect(server.sessions.send("bob@elsewhere.example", chat)).toEqual([]);
    expect(() => server.sessions.send("not a jid", headline)).toThrow(InvalidOptionError);
    expect(() => server.sessions.send("bob@localhost", xml("body", {}, "x"))).toThrow(InvalidOptionError);
  });
});

describe("limits", () => {
  it("a message over maxStanzaBytes ends the sender's stream (policy-violation) and reaches nobody", async () => {
    const server = await serverFor({ maxStanzaBytes: 4096 });
    const ann = await login(server, "ann");
    const bob = await login(server, "bob", "r", "<presence/>");
    ann.send(`<message to='bob@localhost/r'><body>${"x".repeat(10_000)}</body></message>`);
    const error = await ann.next((el) => el.name === "stream:error");
    expect(error.getChild("policy-violation", "urn:ietf:params:xml:ns:xmpp-streams")).toBeDefined();
    await ann.client.closed;
    expect(bodies(await bob.received())).toEqual([]);
    expect(server.sessions.online("ann")).toEqual([]);
  });

  it("messages and presence before a login go nowhere, as before", async () => {
    const server = await serverFor();
    const bob = await login(server, "bob", "r", "<presence/>");
    const stranger = await connect(server);
    stranger.send("<message to='bob@localhost/r'><body>psst</body></message><presence/>");
    stranger.send("<iq type='get' id='v'><query xmlns='jabber:iq:version'/></iq>");
    expect((await stranger.next()).attrs.id).toBe("v");
    expect(await bob.received()).toEqual([]);
  });
});
