import {
  ConnectionError,
  ItemNotFoundError,
  LimitExceededError,
  ProtocolError,
  StreamError,
  TimeoutError,
  TlsRequiredError,
} from "@reguser/errors";
import { greet, HEADER_1_0, LEGACY_HEADER, type ScriptedServer, scriptedServer } from "@reguser/test-kit";
import xml from "@xmpp/xml";
import { afterEach, describe, expect, it } from "vitest";
import { openStream } from "../src/index.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const connect = (port: number, extra = {}) =>
  openStream({ host: "127.0.0.1", port, domain: "localhost", timeout: 10_000, ...extra });
const lastId = (text: string) => [...text.matchAll(/id="([^"]+)"/g)].at(-1)?.[1] ?? "";
const iqGet = () => xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:register" }));

describe("opening a stream", () => {
  it("reads features that arrive in the same packet as the header", async () => {
    server = await scriptedServer((conn) => greet(conn));
    const stream = await connect(server.port);
    expect(stream.id).toBe("S1");
    expect(stream.features.register).toBe(true);
    await stream.close();
  });

  it("reads a header and features split byte by byte, with a UTF-8 character cut in two", async () => {
    const header = HEADER_1_0.replace("from='localhost'", "from='localhost' xml:lang='zh'");
    const features =
      "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>李😀</mechanism></mechanisms></stream:features>";
    server = await scriptedServer(async (conn) => {
      await conn.waitFor(/<stream:stream/);
      const bytes = Buffer.from(header + features, "utf8");
      for (let i = 0; i < bytes.length; i += 1) conn.write(bytes.subarray(i, i + 1));
    });
    const stream = await connect(server.port, { timeout: 3000 });
    expect(stream.features.mechanisms).toEqual(["李😀"]);
    await stream.close();
  });

  it("waits for no features on a legacy header", async () => {
    server = await scriptedServer(async (conn) => {
      await conn.waitFor(/<stream:stream/);
      conn.write(LEGACY_HEADER);
    });
    const stream = await connect(server.port, { legacy: true });
    expect(stream.id).toBe("1ED34A55");
    expect(stream.features.iqAuth).toBe(false);
    await stream.close();
  });

  it("retries an open refused with internal-server-error (jabberd2 trap 4), and only that", async () => {
    const refuse =
      "<stream:error><internal-server-error xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>";
    server = await scriptedServer(async (conn, index) => {
      await conn.waitFor(/<stream:stream/);
      conn.write(index === 0 ? HEADER_1_0 + refuse : LEGACY_HEADER);
      if (index === 0) conn.socket.end();
    });
    const stream = await connect(server.port, { retryDelay: 10 });
    expect(server.connections).toBe(2);
    expect(stream.id).toBe("1ED34A55");
    await stream.close();

    await server.close();
    server = await scriptedServer(async (conn) => {
      await conn.waitFor(/<stream:stream/);
      conn.write(
        `${HEADER_1_0}<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>`,
      );
    });
    await expect(connect(server.port, { retryDelay: 10 })).rejects.toThrow(StreamError);
    expect(server.connections).toBe(1);
  });

  it("times out a silent server with a typed error", async () => {
    server = await scriptedServer(() => {});
    await expect(connect(server.port, { timeout: 200 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it("refuses a header without an id, and a connection refused", async () => {
    server = await scriptedServer(async (conn) => {
      await conn.waitFor(/<stream:stream/);
      conn.write(LEGACY_HEADER.replace("id='1ED34A55' ", ""));
    });
    await expect(connect(server.port, { legacy: true })).rejects.toBeInstanceOf(ProtocolError);
    const port = server.port;
    await server.close();
    server = undefined;
    await expect(connect(port)).rejects.toBeInstanceOf(ConnectionError);
  });

  it("refuses tls: 'starttls' when the server does not offer it (downgrade)", async () => {
    server = await scriptedServer((conn) => greet(conn));
    await expect(connect(server.port, { tls: "starttls" })).rejects.toBeInstanceOf(TlsRequiredError);
  });
});

describe("reopening in place after a transient refusal (trap 4)", () => {
  const refuse = "<stream:error><internal-server-error xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";
  const refuseFirstThenAnswer = (iqPattern: RegExp) =>
    scriptedServer(async (conn, index) => {
      await greet(conn);
      const id = lastId(await conn.waitFor(iqPattern));
      conn.write(index === 0 ? refuse : `<iq type='result' id='${id}'/>`);
      if (index === 0) conn.socket.end();
    });

  it("reopens and resends a pending IQ-get, with the same id", async () => {
    server = await refuseFirstThenAnswer(/<iq[^>]*type="get"/);
    const stream = await connect(server.port, { retryDelay: 10 });
    const reply = await stream.request(iqGet());
    expect(reply.attrs.type).toBe("result");
    expect(server.connections).toBe(2);
    expect(stream.closed).toBe(false);
    await stream.close();
  });

  it("never reopens once an IQ-set went out: it might have been applied", async () => {
    server = await refuseFirstThenAnswer(/<iq[^>]*type="set"/);
    const stream = await connect(server.port, { retryDelay: 10 });
    const set = xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, "a")));
    await expect(stream.request(set)).rejects.toBeInstanceOf(StreamError);
    expect(server.connections).toBe(1);
    expect(stream.closed).toBe(true);
  });
});

describe("the IQ path", () => {
  it("ignores replies with the wrong id or from someone else, then takes the right one", async () => {
    server = await scriptedServer(async (conn) => {
      await greet(conn);
      const sent = await conn.waitFor(/<iq[^>]*type="get"/);
      const id = lastId(sent);
      conn.write(`<iq type='result' id='nope'/><iq type='result' id='${id}' from='evil@localhost'/>`);
      conn.write(`<iq type='error' id='${id}'><error code='404'>Not Found</error></iq>`);
    });
    const stream = await connect(server.port);
    await expect(stream.request(iqGet())).rejects.toBeInstanceOf(ItemNotFoundError);
    expect(stream.pendingRequests).toBe(0);
    await stream.close();
  });

  it("times out an unanswered IQ, drops its late reply and leaves nothing pending", async () => {
    let release: () => void = () => {};
    const late = new Promise<void>((r) => (release = r));
    server = await scriptedServer(async (conn) => {
      await greet(conn);
      const id = lastId(await conn.waitFor(/<iq/));
      await late;
      conn.write(`<iq type='result' id='${id}'/>`);
    });
    const stream = await connect(server.port);
    await expect(stream.request(iqGet(), { timeout: 100 })).rejects.toBeInstanceOf(TimeoutError);
    expect(stream.pendingRequests).toBe(0);
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(stream.closed).toBe(false);
    await stream.close();
  });

  it("fails every pending request when the server drops the connection", async () => {
    server = await scriptedServer(async (conn) => {
      await greet(conn);
      await conn.waitFor(/<iq/);
      conn.socket.destroy();
    });
    const stream = await connect(server.port);
    await expect(stream.request(iqGet())).rejects.toBeInstanceOf(ConnectionError);
    expect(stream.closed).toBe(true);
    await expect(stream.request(iqGet())).rejects.toBeInstanceOf(ConnectionError);
  });

  it("closes the stream on a stanza over the size limit", async () => {
    server = await scriptedServer(async (conn) => {
      await greet(conn);
      await conn.waitFor(/<iq/);
      conn.write(`<iq type='result' id='x'><query>${"A".repeat(300_000)}`);
    });
    const stream = await connect(server.port, { maxStanzaBytes: 100_000 });
    await expect(stream.request(iqGet())).rejects.toBeInstanceOf(LimitExceededError);
    expect(stream.closed).toBe(true);
  });

  it("fails cleanly on invalid UTF-8 and on malformed XML", async () => {
    server = await scriptedServer(async (conn, index) => {
      await greet(conn);
      await conn.waitFor(/<iq/);
      conn.write(index === 0 ? Buffer.from([0x3c, 0x69, 0x71, 0xff, 0xfe]) : "<iq type='result' id='a'></query>");
    });
    for (let i = 0; i < 2; i++) {
      const stream = await connect(server.port);
      await expect(stream.request(iqGet())).rejects.toBeInstanceOf(ProtocolError);
      expect(stream.closed).toBe(true);
    }
  });
});
