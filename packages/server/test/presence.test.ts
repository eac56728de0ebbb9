// Presence without rosters (RFC 6121 §4): the user's own resources, directed presence and its unavailable, the
// presenceToAll "shared roster", subscription requests passed on. Raw peers over TCP; absence checked by a marker.
import type { Element } from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import type { EmbeddedServer, ServerOptions } from "../src/index.js";
import { type Peer, peer, presenceFrom } from "./helpers/peers.js";
import { useServers } from "./helpers/server.js";

const { start, connect } = useServers();

const serverFor = (options: ServerOptions = {}) =>
  start({ accounts: ["ann", "bob", "cat"].map((u) => ({ username: u, password: `${u}-pw` })), ...options });

async function login(server: EmbeddedServer, username: string, resource = "r", presence?: string): Promise<Peer> {
  const p = await peer(server, await connect(server), username, resource);
  if (presence !== undefined) {
    p.send(presence);
    await p.next(presenceFrom(p.jid));
  }
  return p;
}

const presences = (els: Element[]) =>
  els.filter((el) => el.name === "presence").map((el) => [el.attrs.from, el.attrs.type ?? "available"]);

describe("broadcast presence, no presenceToAll", () => {
  it("goes to the user's own available resources, itself included, and it is shown theirs; nobody else", async () => {
    const server = await serverFor();
    const a = await login(server, "ann", "a", "<presence><show>away</show></presence>");
    const bob = await login(server, "bob", "r", "<presence/>");
    const quiet = await login(server, "ann", "quiet");
    const b = await peer(server, await connect(server), "ann", "b");
    b.send("<presence from='bob@localhost/r'><status>on the train</status><priority>3</priority></presence>");
    const echo = await b.next(presenceFrom("ann@localhost/b"));
    expect(echo.attrs.to).toBe("ann@localhost/b");
    expect(echo.getChildText("status")).toBe("on the train");
    const shown = await b.next(presenceFrom("ann@localhost/a"));
    expect([shown.attrs.to, shown.getChildText("show")]).toEqual(["ann@localhost/b", "away"]);
    expect((await a.next(presenceFrom("ann@localhost/b"))).getChildText("status")).toBe("on the train");
    expect(presences(await bob.received())).toEqual([]);
    expect(presences(await quiet.received())).toEqual([]);
  });

  it("unavailable goes to the same set, and a dropped connection sends it for the client", async () => {
    const server = await serverFor();
    const a = await login(server, "ann", "a", "<presence/>");
    const b = await login(server, "ann", "b", "<presence/>");
    const c = await login(server, "ann", "c", "<presence/>");
    await a.next(presenceFrom(b.jid));
    b.send("<presence type='unavailable'><status>bye</status></presence>");
    expect((await a.next(presenceFrom(b.jid, "unavailable"))).getChildText("status")).toBe("bye");
    await c.next(presenceFrom(b.jid, "unavailable"));
    c.client.destroy();
    await a.next(presenceFrom(c.jid, "unavailable"));
    // b was shown a, then heard c come and its own unavailable; unavailable since, it hears nothing of c's end.
    expect(presences(await b.received())).toEqual([
      ["ann@localhost/a", "available"],
      ["ann@localhost/c", "available"],
      ["ann@localhost/b", "unavailable"],
    ]);
  });
});

describe("directed presence (RFC 6121 §4.6)", () => {
  it("reaches the named user's available resources, from stamped, and brings them the unavailable when it goes", async () => {
    const server = await serverFor();
    const a = await login(server, "bob", "a", "<presence/>");
    const b = await login(server, "bob", "b", "<presence/>");
    const quiet = await login(server, "bob", "quiet");
    const cat = await login(server, "cat", "r", "<presence/>");
    const ann = await login(server, "ann");
    ann.send("<presence to='bob@localhost' from='cat@localhost/r'><status>hello bob</status></presence>");
    for (const p of [a, b]) {
      const got = await p.next(presenceFrom(ann.jid));
      expect([got.attrs.to, got.getChildText("status")]).toEqual(["bob@localhost", "hello bob"]);
    }
    ann.client.destroy();
    for (const p of [a, b]) await p.next(presenceFrom(ann.jid, "unavailable"));
    expect(presences(await quiet.received())).toEqual([]);
    expect(presences(await cat.received())).toEqual([]);
  });

  it("to a full JID reaches it even without presence; a directed unavailable takes it back", async () => {
    const server = await serverFor();
    const quiet = await login(server, "bob", "quiet");
    const ann = await login(server, "ann");
    ann.send("<presence to='bob@localhost/quiet'/>");
    await quiet.next(presenceFrom(ann.jid));
    ann.send("<presence to='bob@localhost/quiet' type='unavailable'/>");
    await quiet.next(presenceFrom(ann.jid, "unavailable"));
    ann.send("</stream:stream>");
    await ann.client.closed;
    expect(presences(await quiet.received())).toEqual([]);
  });

  it("to nobody online or nobody at all goes nowhere, and earns no error", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann");
    ann.send("<presence to='bob@localhost'/><presence to='nobody@localhost/r'/><presence to='localhost'/>");
    await ann.sync();
    expect(await ann.received()).toEqual([]);
  });
});

describe("presenceToAll: every local user is every other's contact", () => {
  it("newcomers are shown who is there, every change is broadcast, the unavailable too", async () => {
    const server = await serverFor({ presenceToAll: true });
    const ann = await login(server, "ann", "r", "<presence><show>away</show></presence>");
    const cat = await login(server, "cat");
    const bob = await login(server, "bob", "r", "<presence/>");
    const shown = await bob.next(presenceFrom(ann.jid));
    expect([shown.attrs.to, shown.getChildText("show")]).toEqual(["bob@localhost/r", "away"]);
    expect((await ann.next(presenceFrom(bob.jid))).attrs.to).toBe("ann@localhost/r");

    ann.send("<presence><show>chat</show></presence>");
    expect((await bob.next(presenceFrom(ann.jid))).getChildText("show")).toBe("chat");
    bob.send("<presence type='unavailable'/>");
    await ann.next(presenceFrom(bob.jid, "unavailable"));
    // cat was never available, so only presence sent to it directly reaches it: here, the sign ann's drop was seen.
    expect(presences(await cat.received())).toEqual([]);
    ann.send("<presence to='cat@localhost/r'/>");
    await cat.next(presenceFrom(ann.jid));
    ann.client.destroy();
    await cat.next(presenceFrom(ann.jid, "unavailable"));
    // bob went unavailable: it heard its own unavailable, and nothing of ann's end.
    expect(presences(await bob.received())).toEqual([["bob@localhost/r", "unavailable"]]);
    expect(presences(await cat.received())).toEqual([]);
  });
});

describe("subscription requests (RFC 6121 §3), with no roster behind them", () => {
  it("go to the contact's available resources as they are, between bare JIDs", async () => {
    const server = await serverFor();
    const ann = await login(server, "ann", "r", "<presence/>");
    const a = await login(server, "bob", "a", "<presence/>");
    const b = await login(server, "bob", "b", "<presence><priority>-5</priority></presence>");
    const quiet = await login(server, "bob", "quiet");
    ann.send(
      "<presence type='subscribe' to='bob@localhost/a' from='cat@localhost' id='s1'><status>hi</status></presence>",
    );
    for (const p of [a, b]) {
      const got = await p.next((el) => el.attrs.type === "subscribe");
      expect(got.attrs).toEqual({ type: "subscribe", to: "bob@localhost", from: "ann@localhost", id: "s1" });
      expect(got.getChildText("status")).toBe("hi");
    }
    a.send("<presence type='subscribed' to='ann@localhost'/>");
    expect((await ann.next((el) => el.attrs.type === "subscribed")).attrs.from).toBe("bob@localhost");
    ann.send("<presence type='subscribe' to='nobody@localhost'/><presence type='probe' to='bob@localhost'/>");
    await ann.sync();
    expect(await ann.received()).toEqual([]);
    expect(presences(await quiet.received())).toEqual([]);
  });
});
