// The repository's own stack (openStream + authenticate, iq:auth) on the routing: IQs between two logged-in
// streams, one over TCP and one over WebSocket, and a login that takes over a resource.
import { authenticate } from "@reguser/auth";
import { ConflictError, ServiceUnavailableError, StreamError } from "@reguser/errors";
import { openStream, type XmppStream } from "@reguser/stream";
import xml from "@xmpp/xml";
import { afterEach, describe, expect, it } from "vitest";
import type { EmbeddedServer, ServerOptions } from "../src/index.js";
import { useServers } from "./helpers/server.js";

const { start } = useServers();
const streams: XmppStream[] = [];
afterEach(async () => {
  await Promise.allSettled(streams.splice(0).map((s) => s.close()));
});

const serverFor = (options: ServerOptions = {}) =>
  start({ accounts: ["ann", "bob"].map((u) => ({ username: u, password: `${u}-pw` })), webSocketPort: 0, ...options });

async function loggedIn(server: EmbeddedServer, username: string, resource: string, over: "tcp" | "websocket") {
  const where = over === "tcp" ? { host: server.host, port: server.port } : { url: server.webSocketUrl as string };
  const stream = await openStream({ ...where, domain: server.domain });
  streams.push(stream);
  const session = await authenticate(stream, { username, password: `${username}-pw`, resource });
  return { stream, jid: session.jid };
}

const ping = (to: string) => xml("iq", { type: "get", to }, xml("ping", { xmlns: "urn:xmpp:ping" }));
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: unknown) => err,
  );
/** The code and text the error reply itself carried (the class fills in a code from the condition). */
const said = (err: unknown) => {
  const { element, text } = err as ServiceUnavailableError;
  return { code: element?.getChild("error")?.attrs.code, text };
};

describe("two reguser streams logged in by iq:auth", () => {
  it("route IQs between their full JIDs, TCP to WebSocket and back; the other stream's own answer comes back", async () => {
    const server = await serverFor();
    const ann = await loggedIn(server, "ann", "desk", "tcp");
    const bob = await loggedIn(server, "bob", "web", "websocket");
    expect([server.sessions.online("ann"), server.sessions.online("bob")]).toEqual([[ann.jid], [bob.jid]]);

    // A reguser stream serves no IQ: it answers every get with a bare service-unavailable (no code, no text), which
    // its caller accepts only from the JID it asked: the server stamped bob's.
    const answered = await refusal(ann.stream.request(ping(bob.jid)));
    expect(answered).toBeInstanceOf(ServiceUnavailableError);
    expect((answered as ServiceUnavailableError).element?.attrs.from).toBe(bob.jid);
    expect(said(answered)).toEqual({ code: undefined, text: undefined });
    const back = await refusal(bob.stream.request(ping(ann.jid)));
    expect((back as ServiceUnavailableError).element?.attrs.from).toBe(ann.jid);

    // Nobody there: the server's own refusal, with its code and text.
    for (const to of ["bob@localhost/gone", "bob@localhost"]) {
      const err = await refusal(ann.stream.request(ping(to)));
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect(said(err)).toEqual({ code: "503", text: "Service Unavailable" });
    }
  });

  it("a second login to the same full JID: 409 by default; with 'replace' the first stream ends with conflict", async () => {
    const refusing = await serverFor();
    await loggedIn(refusing, "ann", "desk", "tcp");
    expect(await refusal(loggedIn(refusing, "ann", "desk", "websocket"))).toBeInstanceOf(ConflictError);

    const replacing = await serverFor({ resourceConflict: "replace" });
    const first = await loggedIn(replacing, "ann", "desk", "tcp");
    const second = await loggedIn(replacing, "ann", "desk", "websocket");
    await first.stream.ended;
    const err = await refusal(first.stream.request(ping(second.jid)));
    expect(err).toBeInstanceOf(StreamError);
    expect((err as StreamError).condition).toBe("conflict");
    expect(replacing.sessions.online("ann")).toEqual([second.jid]);
  });
});
