// The limits and the stream errors that enforce them: stanza size, connections, auth time, malformed input.
import { describe, expect, it } from "vitest";
import { bookHeader, modernHeader, type RawClient } from "./helpers/raw-client.js";
import { AUTH, iq, REGISTER, registerText, useServers } from "./helpers/server.js";

const { start, connect } = useServers();
const STREAMS = "urn:ietf:params:xml:ns:xmpp-streams";

/** The stream error that ends the stream, its condition and text, and the close after it. */
async function streamEnd(client: RawClient) {
  const el = await client.next();
  expect(el.name).toBe("stream:error");
  await client.closed;
  const condition = el.getChildElements().find((c) => c.name !== "text")?.name;
  return { condition, text: el.getChildText("text", STREAMS), ended: client.ended };
}

describe("maxStanzaBytes", () => {
  it("ends the stream with policy-violation when a stanza grows past the cap; nothing is registered", async () => {
    const server = await start({ maxStanzaBytes: 4096 });
    const client = await connect(server);
    client.send(iq("set", "big", REGISTER, registerText("big", "pw", `<name>${"x".repeat(10_000)}</name>`)));
    expect(await streamEnd(client)).toEqual({
      condition: "policy-violation",
      text: "stanza size over 4096",
      ended: true,
    });
    expect(server.users.has("big")).toBe(false);
  });

  it("counts bytes since the last complete stanza: many small stanzas are fine", async () => {
    const server = await start({ maxStanzaBytes: 1024 });
    const client = await connect(server);
    for (let i = 0; i < 20; i++) {
      client.send(iq("set", `r${i}`, REGISTER, registerText(`user${i}`, "pw", `<name>${"n".repeat(100)}</name>`)));
      expect((await client.next()).attrs.type).toBe("result");
    }
    expect(server.users.size).toBe(20);
  });
});

describe("maxConnections", () => {
  it("answers the header of one connection too many, then resource-constraint and the close", async () => {
    const server = await start({ maxConnections: 2 });
    await connect(server);
    await connect(server, bookHeader("localhost"));
    const third = await connect(server, bookHeader("localhost"));
    expect(third.header.id).toBeDefined();
    expect(await streamEnd(third)).toMatchObject({ condition: "resource-constraint" });
  });
});

describe("authTimeout (the book's <authtime/>)", () => {
  it("ends an unauthenticated stream with connection-timeout", async () => {
    const server = await start({ authTimeout: 100 });
    const client = await connect(server);
    const started = Date.now();
    expect(await streamEnd(client)).toEqual({
      condition: "connection-timeout",
      text: "Not authenticated within 100 ms",
      ended: true,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
  });

  it("leaves an authenticated stream alone", async () => {
    const server = await start({ authTimeout: 100, accounts: [{ username: "ann", password: "pw" }] });
    const client = await connect(server);
    client.send(iq("set", "l", AUTH, "<username>ann</username><password>pw</password><resource>r</resource>"));
    expect((await client.next()).attrs.type).toBe("result");
    await new Promise((resolve) => setTimeout(resolve, 200));
    client.send(iq("get", "g", REGISTER));
    expect((await client.next()).attrs.type).toBe("result");
  });
});

describe("malformed input", () => {
  it("ends the stream with not-well-formed on broken XML", async () => {
    const client = await connect(await start());
    client.send("<iq type='get' id='x'><query xmlns='jabber:iq:register'></iq>");
    expect(await streamEnd(client)).toMatchObject({ condition: "not-well-formed", text: "Malformed XML" });
  });

  it("ends the stream with not-well-formed on invalid UTF-8", async () => {
    const client = await connect(await start());
    client.send(Buffer.from([0x3c, 0x69, 0x71, 0xff, 0xfe, 0x3e]));
    expect(await streamEnd(client)).toMatchObject({ condition: "not-well-formed", text: "Invalid UTF-8" });
  });

  it("decodes UTF-8 split across TCP packets", async () => {
    const server = await start();
    const client = await connect(server);
    const bytes = Buffer.from(iq("set", "u", REGISTER, registerText("日本語", "pässwörd")));
    const cut = bytes.indexOf(Buffer.from("日")) + 1;
    client.send(bytes.subarray(0, cut));
    await new Promise((resolve) => setTimeout(resolve, 20));
    client.send(bytes.subarray(cut));
    expect((await client.next()).attrs.type).toBe("result");
    expect(server.users.has("日本語")).toBe(true);
  });

  it("refuses another domain (host-unknown) and a root that is not a stream (invalid-namespace)", async () => {
    const server = await start();
    const other = await connect(server, modernHeader("example.org"));
    expect(other.features?.name).toBe("stream:error");
    expect(other.features?.getChild("host-unknown", STREAMS)).toBeDefined();
    const wrong = await connect(server, "<?xml version='1.0'?><iq xmlns='jabber:client'>");
    expect(await streamEnd(wrong)).toMatchObject({ condition: "invalid-namespace" });
  });
});

describe("close()", () => {
  it("ends every stream with system-shutdown, stops listening, and is idempotent", async () => {
    const server = await start();
    const client = await connect(server);
    const closing = server.close();
    expect(await streamEnd(client)).toMatchObject({ condition: "system-shutdown" });
    await Promise.all([closing, server.close()]);
  });
});
