// Two unchanged @xmpp/client 0.14 clients (SASL SCRAM-SHA-1, resource binding) chatting through the embedded server,
// as the web session bridge will: presence with presenceToAll, messages both ways, XEP-0199 pings between them, the
// unavailable when one stops; over TCP, over WebSocket, and one of each. Waits are bounded; nothing is timed.
// @xmpp/websocket uses the global WebSocket, which Node 20 lacks: `ws`'s (the same WHATWG interface) stands in.
import { type Client, client, xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { EmbeddedServer, ServerOptions } from "../src/index.js";
import { useServers } from "./helpers/server.js";

const { start } = useServers();
const global = globalThis as { WebSocket?: unknown };
const saved = global.WebSocket;
beforeAll(() => {
  global.WebSocket ??= WebSocket;
});
afterAll(() => {
  global.WebSocket = saved;
});
const clients: Client[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.stop()));
});
const WAIT_MS = 5000;

interface Chatter {
  xmpp: Client;
  jid: string;
  /** The first stanza `match` accepts, this one or a later one; rejects after WAIT_MS. */
  next(match: (el: Element) => boolean, what: string): Promise<Element>;
}

const serverFor = (options: ServerOptions = {}) =>
  start({
    accounts: ["ann", "bob"].map((u) => ({ username: u, password: `${u}-pw` })),
    webSocketPort: 0,
    presenceToAll: true,
    ...options,
  });

async function online(service: string, username: string, resource?: string): Promise<Chatter> {
  const xmpp = client({
    service,
    domain: "localhost",
    username,
    password: `${username}-pw`,
    resource,
    timeout: 30_000,
  });
  xmpp.reconnect.stop();
  xmpp.on("error", () => {});
  clients.push(xmpp);
  const seen: Element[] = [];
  const waiting = new Set<{ match: (el: Element) => boolean; take: (el: Element) => void }>();
  xmpp.on("stanza", (el: Element) => {
    for (const waiter of waiting) {
      if (!waiter.match(el)) continue;
      waiting.delete(waiter);
      waiter.take(el);
      return;
    }
    seen.push(el);
  });
  const jid = (await xmpp.start()).toString();
  const next = (match: (el: Element) => boolean, what: string) => {
    const found = seen.findIndex(match);
    if (found >= 0) return Promise.resolve(seen.splice(found, 1)[0] as Element);
    return new Promise<Element>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(waiter);
        reject(new Error(`${jid}: no ${what} within ${WAIT_MS} ms; got ${seen.map(String).join(" ")}`));
      }, WAIT_MS);
      const waiter = {
        match,
        take: (el: Element) => {
          clearTimeout(timer);
          resolve(el);
        },
      };
      waiting.add(waiter);
    });
  };
  return { xmpp, jid, next };
}

const tcp = (server: EmbeddedServer) => `xmpp://127.0.0.1:${server.port}`;
const ws = (server: EmbeddedServer) => server.webSocketUrl as string;

const presenceOf = (from: string, type?: string) => (el: Element) =>
  el.is("presence") && el.attrs.from === from && el.attrs.type === type;
const body = (text: string) => (el: Element) => el.is("message") && el.getChildText("body") === text;

/** ann and bob go available, see each other, chat both ways, ping each other; bob stops and ann sees him go. */
async function conversation(ann: Chatter, bob: Chatter) {
  await ann.xmpp.send(xml("presence", {}, xml("status", {}, "ann here")));
  await ann.next(presenceOf(ann.jid), "ann's own presence");
  await bob.xmpp.send(xml("presence", {}, xml("show", {}, "chat")));
  expect((await bob.next(presenceOf(ann.jid), "ann's presence")).getChildText("status")).toBe("ann here");
  expect((await ann.next(presenceOf(bob.jid), "bob's presence")).getChildText("show")).toBe("chat");

  await ann.xmpp.send(xml("message", { to: "bob@localhost", type: "chat", id: "c1" }, xml("body", {}, "hello bob")));
  const hello = await bob.next(body("hello bob"), "ann's message");
  expect(hello.attrs).toMatchObject({ from: ann.jid, to: "bob@localhost", type: "chat", id: "c1" });
  await bob.xmpp.send(xml("message", { to: hello.attrs.from, type: "chat" }, xml("body", {}, "hi ann")));
  expect((await ann.next(body("hi ann"), "bob's reply")).attrs.from).toBe(bob.jid);

  // XEP-0199 between clients: @xmpp/client answers pings itself; its iqCaller checks the reply's `from`.
  const ping = xml("iq", { type: "get", to: bob.jid }, xml("ping", { xmlns: "urn:xmpp:ping" }));
  expect((await ann.xmpp.iqCaller.request(ping, WAIT_MS)).attrs).toMatchObject({ type: "result", from: bob.jid });
  const back = xml("iq", { type: "get", to: ann.jid }, xml("ping", { xmlns: "urn:xmpp:ping" }));
  expect((await bob.xmpp.iqCaller.request(back, WAIT_MS)).attrs.from).toBe(ann.jid);

  await bob.xmpp.stop();
  await ann.next(presenceOf(bob.jid, "unavailable"), "bob's unavailable");
}

describe("two @xmpp/client clients with presenceToAll", () => {
  it("over TCP: see each other's presence, chat, ping, and see the other go", async () => {
    const server = await serverFor();
    const ann = await online(tcp(server), "ann", "laptop");
    const bob = await online(tcp(server), "bob");
    expect(ann.jid).toBe("ann@localhost/laptop");
    expect(server.sessions.online("bob")).toEqual([bob.jid]);
    await conversation(ann, bob);
    expect(server.sessions.online("bob")).toEqual([]);
  });

  it("over WebSocket: the same conversation", async () => {
    const server = await serverFor();
    await conversation(await online(ws(server), "ann"), await online(ws(server), "bob"));
  });

  it("one over WebSocket, one over TCP: routing does not care which link a session uses", async () => {
    const server = await serverFor();
    await conversation(await online(ws(server), "ann"), await online(tcp(server), "bob"));
    await conversation(await online(tcp(server), "ann", "second"), await online(ws(server), "bob", "web"));
  });

  it("a headline from server.sessions.send reaches an @xmpp/client, from the domain", async () => {
    const server = await serverFor();
    const ann = await online(ws(server), "ann");
    await ann.xmpp.send(xml("presence"));
    await ann.next(presenceOf(ann.jid), "ann's own presence");
    const headline = xml("message", { type: "headline" }, xml("body", {}, "the server speaks"));
    expect(server.sessions.send("ann@localhost", headline)).toEqual([ann.jid]);
    expect((await ann.next(body("the server speaks"), "the headline")).attrs.from).toBe("localhost");
  });
});

describe("the same resource twice over SASL and bind", () => {
  it("is refused by default: the second client's bind fails with conflict", async () => {
    const server = await serverFor();
    await online(tcp(server), "ann", "phone");
    await expect(online(ws(server), "ann", "phone")).rejects.toMatchObject({ condition: "conflict" });
    expect(server.sessions.online("ann")).toEqual(["ann@localhost/phone"]);
  });

  it("with resourceConflict 'replace', takes over: the first client's stream ends with <conflict/>", async () => {
    const server = await serverFor({ resourceConflict: "replace" });
    const first = await online(tcp(server), "ann", "phone");
    const ended = new Promise<unknown>((resolve) => first.xmpp.on("error", resolve));
    const second = await online(ws(server), "ann", "phone");
    expect(await ended).toMatchObject({ condition: "conflict" });
    expect(server.sessions.online("ann")).toEqual(["ann@localhost/phone"]);
    const bob = await online(tcp(server), "bob");
    await bob.xmpp.send(xml("message", { to: second.jid }, xml("body", {}, "which phone?")));
    await second.next(body("which phone?"), "the message to the new phone");
  });
});
